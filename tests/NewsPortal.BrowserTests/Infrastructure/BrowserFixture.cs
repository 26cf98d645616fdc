using Microsoft.Playwright;

namespace NewsPortal.BrowserTests.Infrastructure;

/// <summary>
/// One running app and one headless Debian Chromium shared by every browser test; each test opens its own context
/// (cookies, storage, colour scheme, viewport), so tests do not see each other's state.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private PortalServer? _server;
    private string? _adminState;

    public PortalServer Server => _server ?? throw new InvalidOperationException("Not started.");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        // A missing browser is a failure, never a skip: these tests are the proof the front end works.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Install Debian's package: apt-get install -y --no-install-recommends chromium "
                + "(the tests never download a browser).");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // CI runs this suite beside both database suites on two cores: a page's first use of a code path (compiling it)
        // has taken longer than Playwright's 5 s there. Assertions that hold return at once; only a failure waits longer.
        Assertions.SetDefaultExpectTimeout(15_000);
        _server = await PortalServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // No sandbox as root in CI; no background networking, which this machine's closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A new editor of the test's own, added by the admin at /admin/users (the suite's admin signs in with a password alone throughout).</summary>
    public async Task AddEditorAsync(string email, string password)
    {
        await using var adminContext = await NewContextAsync(signedIn: true);
        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync("/admin/users");
        await admin.GetByLabel("Email").FillAsync(email);
        await admin.GetByLabel("First password").FillAsync(password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".notice")).ToHaveTextAsync($"Added {email}.");
    }

    /// <summary>
    /// A fresh context on the app; <paramref name="signedIn"/> carries the admin's session cookie.
    /// <paramref name="bypassContentSecurityPolicy"/> is for tools the tests inject (axe-core), never for the app's own pages.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(
        ColorScheme colorScheme = ColorScheme.Light, bool signedIn = false, int width = 1280, int height = 800, bool bypassContentSecurityPolicy = false,
        string? timezoneId = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ColorScheme = colorScheme,
            ViewportSize = new() { Width = width, Height = height },
            BypassCSP = bypassContentSecurityPolicy,
            TimezoneId = timezoneId,
        };
        if (signedIn)
        {
            options.StorageState = _adminState ??= await SignInAsync();
        }

        return await Browser.NewContextAsync(options);
    }

    /// <summary>Signs the configured admin in through the real form once, and keeps the session for later contexts.</summary>
    private async Task<string> SignInAsync()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAdminAsync(page);
        return await context.StorageStateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>What the browser reports of the Content-Security-Policy: every script, style or request it refused, with its page.</summary>
public static class ContentSecurityPolicy
{
    public static List<string> RefusalsOn(IPage page)
    {
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refused.Add($"{page.Url}: {message.Text}");
            }
        };
        return refused;
    }
}

public static class SignIn
{
    public static Task AsAdminAsync(IPage page) => AsAsync(page, PortalServer.AdminEmail, PortalServer.AdminPassword);

    /// <summary>Types an account's email and password into the sign-in form, and waits to leave it.</summary>
    public static async Task AsAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }
}
