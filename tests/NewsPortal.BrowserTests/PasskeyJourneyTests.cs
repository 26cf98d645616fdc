using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NewsPortal.BrowserTests;

/// <summary>
/// Passkeys in Chromium with its virtual authenticator (the DevTools WebAuthn domain: a platform authenticator that
/// verifies its user and answers at once), so the page's script, the browser's WebAuthn and the site meet for real.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyJourneyTests(BrowserFixture browser)
{
    private const string Password = "a long first password";

    /// <summary>
    /// The site by name: WebAuthn takes no IP address as a site's identity, and the server listens on 127.0.0.1, which
    /// Chromium reaches as localhost too.
    /// </summary>
    private string Localhost => new UriBuilder(browser.Server.BaseAddress) { Host = "localhost" }.Uri.ToString();

    [Fact]
    public async Task Editor_AddsAPasskey_ThenSignsInWithItAlone()
    {
        var email = $"passkey-{Guid.NewGuid():N}@example.org";
        await browser.AddEditorAsync(email, Password);

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Localhost });
        var page = await context.NewPageAsync();
        var refused = ContentSecurityPolicy.RefusalsOn(page);
        await AddPasskeyAsync(context, page, email);
        await Axe.AssertNoneSignedInAsync(browser.Browser, context, Localhost, "/admin/passkeys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/account/login?ReturnUrl=%2Fadmin%2Fpasskeys");
        await Axe.AssertNoneSignedInAsync(browser.Browser, context, Localhost, "/account/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin/passkeys$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Passkeys", Level = 1 })).ToBeVisibleAsync();
        Assert.Empty(refused);
    }

    [Fact]
    public async Task Editor_WithTwoStepOn_TypesThePassword_ThenUsesAPasskeyInsteadOfTheCode()
    {
        var email = $"passkey-second-{Guid.NewGuid():N}@example.org";
        await browser.AddEditorAsync(email, Password);

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Localhost });
        var page = await context.NewPageAsync();
        var refused = ContentSecurityPolicy.RefusalsOn(page);
        await AddPasskeyAsync(context, page, email);
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-step sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-step sign-in" }).ClickAsync();
        var key = (await page.Locator(".setup-key").TextContentAsync())!;
        await page.GetByLabel("Code from the app").FillAsync(NewsPortal.Tests.Shared.AuthenticatorApp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Two-step sign-in is on");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignIn.AsAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new Regex("/account/two-step"));
        await Expect(page.GetByLabel("Code")).ToBeVisibleAsync();
        await Axe.AssertNoneSignedInAsync(browser.Browser, context, Localhost, "/account/two-step");
        // The box beside the code answers for the passkey too.
        await page.GetByLabel("Don't ask again on this browser for 30 days").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        Assert.Empty(refused);

        // Remembered: the next sign-in on this browser takes the password alone.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignIn.AsAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));

        // A browser without passkeys: the page says why there is no passkey button, and the code still works.
        await using var older = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Localhost });
        await older.AddInitScriptAsync("delete window.PublicKeyCredential");
        var olderPage = await older.NewPageAsync();
        await SignIn.AsAsync(olderPage, email, Password);
        await Expect(olderPage.GetByText("This browser cannot use passkeys")).ToBeVisibleAsync();
        await Expect(olderPage.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" })).ToBeHiddenAsync();
        await Expect(olderPage.GetByLabel("Code")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Gives the page's browser a platform authenticator (one that verifies its user and answers at once), signs in with
    /// the password and adds a passkey at /admin/passkeys.
    /// </summary>
    private static async Task AddPasskeyAsync(IBrowserContext context, IPage page, string email)
    {
        var devTools = await context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        await SignIn.AsAsync(page, email, Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Passkeys" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Test laptop");
        await page.GetByLabel("Your password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        // The page's errors too, so that a refusal fails with its own words rather than "not found".
        await Expect(page.Locator(".notice, .form-errors:visible").First).ToContainTextAsync("Passkey added");
        await Expect(page.Locator(".admin-table tbody tr")).ToHaveTextAsync(new Regex("Test laptop"));
    }
}
