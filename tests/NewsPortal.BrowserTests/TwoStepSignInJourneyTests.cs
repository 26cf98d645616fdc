using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;
using NewsPortal.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace NewsPortal.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class TwoStepSignInJourneyTests(BrowserFixture browser)
{
    private const string Password = "a long first password";

    [Fact]
    public async Task Editor_TurnsOnTwoStepSignIn_WithTheAppsCode_ThenSignsInWithPasswordAndCode_AndThisBrowserIsNotAskedAgain()
    {
        var email = $"two-step-{Guid.NewGuid():N}@example.org";
        await browser.AddEditorAsync(email, Password);

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var refused = ContentSecurityPolicy.RefusalsOn(page);
        await SignIn.AsAsync(page, email, Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-step sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-step sign-in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the key" })).ToBeVisibleAsync();
        var key = (await page.Locator(".setup-key").TextContentAsync())!;
        await Axe.AssertNoneSignedInAsync(browser.Browser, context, browser.Server.BaseAddress.ToString(), "/admin/two-step");
        await page.GetByLabel("Code from the app").FillAsync(AuthenticatorApp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Two-step sign-in is on");
        await Expect(page.Locator(".recovery-codes li")).ToHaveCountAsync(10);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignIn.AsAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new Regex("/account/two-step"));
        await Axe.AssertNoneSignedInAsync(browser.Browser, context, browser.Server.BaseAddress.ToString(), "/account/two-step");
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(AuthenticatorApp.Code(key));
        await page.GetByLabel("Don't ask again on this browser for 30 days").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignIn.AsAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        Assert.Empty(refused);
    }
}
