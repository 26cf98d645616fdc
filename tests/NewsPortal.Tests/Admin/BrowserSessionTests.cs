using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsPortal.Tests.Accounts;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Tests.Shared;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;

namespace NewsPortal.Tests.Admin;

/// <summary>Sign-ins enough for one account to sign in on more browsers than it may keep, within a minute.</summary>
public sealed class ManySignInsFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Security:SignInAttemptsPerAccountPerMinute", "1000");
    }
}

/// <summary>An editor sees the browsers signed in as them on /admin/password, and signs out one they do not know.</summary>
public sealed class BrowserSessionTests(ManySignInsFactory factory) : IClassFixture<ManySignInsFactory>
{
    private const string FirefoxOnLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private async Task<HttpClient> SignedInAsync(string email, string userAgent = FirefoxOnLinux)
    {
        var client = factory.CreatePlainClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        using var signIn = await client.SignInAsync(email, EditorialFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    /// <summary>The list's rows as their cells' text: browser, address, signed in, last used, and "This browser" or the button.</summary>
    private static async Task<List<string[]>> BrowsersSeenByAsync(HttpClient client)
    {
        var page = await client.GetDocumentAsync("/admin/password");
        return [.. page.QuerySelectorAll("#browser-sessions tbody tr").Select(row => row.QuerySelectorAll("td").Select(cell => cell.TextContent.Trim()).ToArray())];
    }

    private static Task<HttpResponseMessage> SignOutListedAsync(HttpClient client, string? id = null)
        => client.SubmitFormAsync("/admin/password", id is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["id"] = id },
            formSelector: "#browser-sessions form");

    private static async Task AssertSentToSignInAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task EachBrowserSignedInAsTheEditor_IsListedByWhatItIs_ThisOneFirstAndWithoutAButton()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var laptop = await SignedInAsync(email, FirefoxOnLinux);
        await SignedInAsync(email, ChromeOnWindows);
        await SignedInAsync(await factory.CreateUserAsync(Roles.Editor), ChromeOnWindows);

        var rows = await BrowsersSeenByAsync(laptop);

        Assert.Equal(2, rows.Count);
        Assert.Equal(["Firefox on Linux", "This browser"], [rows[0][0], rows[0][4]]);
        Assert.Equal(["Chrome on Windows", "Sign out"], [rows[1][0], rows[1][4]]);
        Assert.Equal(factory.Clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm"), rows[1][2]);
    }

    [Fact]
    public async Task SigningOutAListedBrowser_SendsItToSignInAtItsNextPage_AndKeepsThisOne()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var laptop = await SignedInAsync(email, FirefoxOnLinux);
        var lostPhone = await SignedInAsync(email, ChromeOnWindows);

        using var signOut = await SignOutListedAsync(laptop);
        var after = await laptop.GetDocumentAsync("/admin/password");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(PasswordModel.SignedOutOne, after.TextOf(".notice"));
        await AssertSentToSignInAsync(lostPhone);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/admin")).StatusCode);
        Assert.Equal(["Firefox on Linux"], (await BrowsersSeenByAsync(laptop)).Select(row => row[0]));
        Assert.True(await factory.WithDbAsync(db => db.AuditLog.AnyAsync(a => a.User == email && a.Action == "sign out a browser" && a.Details!.StartsWith("Chrome on Windows"))));
    }

    [Fact]
    public async Task ABrowserSignedOutFromAnother_IsAskedForTheSecondStepAgain_WhileTheOthersStayRemembered()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, codes) = await factory.TurnOnTwoStepAsync(email);
        var lost = await RememberedSecondStepTests.SignedInWithCodeAsync(factory, email, AuthenticatorApp.Code(key), remember: true, FirefoxOnLinux);
        var phone = await RememberedSecondStepTests.SignedInWithCodeAsync(factory, email, codes[0], remember: true, ChromeOnWindows);
        var desk = await RememberedSecondStepTests.SignedInWithCodeAsync(factory, email, codes[1], remember: true, ChromeOnWindows);

        using var signOut = await SignOutListedAsync(desk, (await SessionsOfAsync(email, "Firefox on Linux")).Single());
        var lostAgain = await RememberedSecondStepTests.AfterThePasswordAsync(lost, email);
        var phoneAgain = await RememberedSecondStepTests.AfterThePasswordAsync(phone, email);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/two-step", lostAgain);
        Assert.Equal("/admin", phoneAgain);
    }

    [Fact]
    public async Task ABrowserSignedOutFromAnother_IsNoLongerLetPastALockout_WhichTheOthersStillPass()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var lost = await SignedInAsync(email, FirefoxOnLinux);
        var phone = await SignedInAsync(email, ChromeOnWindows);
        var desk = await SignedInAsync(email, ChromeOnWindows);

        using var signOut = await SignOutListedAsync(desk, (await SessionsOfAsync(email, "Firefox on Linux")).Single());
        await LockOutFromElsewhereAsync(email);
        using var lostAgain = await lost.SignInAsync(email, EditorialFactory.Password);
        using var phoneAgain = await phone.SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lostAgain.StatusCode);
        Assert.Contains(LoginModel.Failed, (await lostAgain.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, phoneAgain.StatusCode);
    }

    [Fact]
    public async Task ABrowserThatChangedThePassword_IsStillForgottenWhenSignedOutFromAnother()
    {
        const string newPassword = "a new password for this browser";
        var email = await factory.CreateUserAsync(Roles.Editor);
        var lost = await SignedInAsync(email, FirefoxOnLinux);
        using var changed = await OwnPasswordTests.ChangeAsync(lost, EditorialFactory.Password, newPassword);
        var desk = factory.CreatePlainClient();
        using var deskSignIn = await desk.SignInAsync(email, newPassword);

        using var signOut = await SignOutListedAsync(desk, (await SessionsOfAsync(email, "Firefox on Linux")).Single());
        await LockOutFromElsewhereAsync(email);
        using var lostAgain = await lost.SignInAsync(email, newPassword);

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lostAgain.StatusCode);
        Assert.Contains(LoginModel.Failed, (await lostAgain.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task SigningOutABrowser_EndsItsEarlierSessionToo()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var lost = await SignedInTwiceAsync(email, FirefoxOnLinux);
        var desk = await SignedInAsync(email, ChromeOnWindows);
        var listedBefore = await BrowsersSeenByAsync(desk);

        using var signOut = await SignOutListedAsync(desk, (await SessionsOfAsync(email, "Firefox on Linux"))[0]);

        Assert.Equal(3, listedBefore.Count);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        await AssertSentToSignInAsync(lost);
        Assert.Equal(["Chrome on Windows"], (await BrowsersSeenByAsync(desk)).Select(row => row[0]));
    }

    [Fact]
    public async Task SigningOutAnEarlierSessionOfThisBrowser_KeepsThisOneSignedInAndKnown()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var desk = await SignedInTwiceAsync(email, FirefoxOnLinux);

        using var signOut = await SignOutListedAsync(desk, (await SessionsOfAsync(email, "Firefox on Linux"))[0]);
        var listed = await BrowsersSeenByAsync(desk);
        await LockOutFromElsewhereAsync(email);
        using var again = await desk.SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("This browser", listed.Single()[4]);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    /// <summary>
    /// A browser that signed in, was closed (its session cookie goes, its device cookie stays), and signed in again:
    /// its first session is still listed, as it never signed out.
    /// </summary>
    private async Task<HttpClient> SignedInTwiceAsync(string email, string userAgent)
    {
        var jar = new CookieContainer();
        var browser = factory.CreateDefaultClient(new CookieContainerHandler(jar));
        browser.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        (await browser.SignInAsync(email, EditorialFactory.Password)).Dispose();
        jar.GetAllCookies().Where(cookie => cookie.Name == "newsportal.auth").ToList().ForEach(cookie => cookie.Expired = true);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        using var again = await browser.SignInAsync(email, EditorialFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(2, (await SessionsOfAsync(email, BrowserSessions.Describe(userAgent))).Count);
        return browser;
    }

    /// <summary>The ids of the account's sessions on browsers described so, the first signed in first.</summary>
    private Task<List<string>> SessionsOfAsync(string email, string browser)
        => factory.WithDbAsync(db => db.BrowserSessions.Where(s => s.User!.Email == email && s.Browser == browser).OrderBy(s => s.SignedInAtUtc).Select(s => s.Id).ToListAsync());

    /// <summary>Enough wrong passwords from browsers the account does not know to lock it.</summary>
    private async Task LockOutFromElsewhereAsync(string email)
    {
        for (var i = 0; i < 5; i++)
        {
            (await factory.CreatePlainClient().SignInAsync(email, "guess " + i)).Dispose();
        }
    }

    [Fact]
    public async Task ABrowserThatSignsOut_LeavesTheList()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var laptop = await SignedInAsync(email, FirefoxOnLinux);
        var phone = await SignedInAsync(email, ChromeOnWindows);

        using var signOut = await phone.SubmitFormAsync("/admin", new Dictionary<string, string?>(), formSelector: "form[action='/account/logout']");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(["Firefox on Linux"], (await BrowsersSeenByAsync(laptop)).Select(row => row[0]));
    }

    [Fact]
    public async Task AfterSigningOutEveryOtherBrowser_OnlyThisOneIsListed_StillTheSessionItWas()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var laptop = await SignedInAsync(email, FirefoxOnLinux);
        var signedInAt = factory.Clock.GetUtcNow();
        var phone = await SignedInAsync(email, ChromeOnWindows);
        factory.Clock.Advance(TimeSpan.FromMinutes(10));

        using var signOut = await laptop.SubmitFormAsync("/admin/password", new Dictionary<string, string?>(), formSelector: "form[action*='handler=SignOutOthers']");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var rows = await BrowsersSeenByAsync(laptop);
        Assert.Equal(["Firefox on Linux", signedInAt.ToString("yyyy-MM-dd HH:mm"), "This browser"], rows.Single().Where((_, i) => i is 0 or 2 or 4));
        await AssertSentToSignInAsync(phone);
    }

    [Fact]
    public async Task AnotherAccountsBrowser_CannotBeSignedOutFromThisOne()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var laptop = await SignedInAsync(email, FirefoxOnLinux);
        await SignedInAsync(email, ChromeOnWindows);
        var otherEmail = await factory.CreateUserAsync(Roles.Editor);
        var theirs = await SignedInAsync(otherEmail);
        var theirSession = await factory.WithDbAsync(db => db.BrowserSessions.Where(s => s.User!.Email == otherEmail).Select(s => s.Id).SingleAsync());

        using var signOut = await SignOutListedAsync(laptop, theirSession);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, signOut.StatusCode);
        Assert.Contains(BrowserSessions.NotYours, (await signOut.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/admin")).StatusCode);
        Assert.Equal(2, (await BrowsersSeenByAsync(laptop)).Count);
    }

    [Fact]
    public async Task ABrowsersLastUse_IsKeptToWithinFiveMinutes()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var laptop = await SignedInAsync(email);
        var signedInAt = factory.Clock.GetUtcNow();

        factory.Clock.Advance(TimeSpan.FromMinutes(4));
        (await laptop.GetAsync("/admin")).Dispose();
        var early = (await BrowsersSeenByAsync(laptop)).Single();
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        (await laptop.GetAsync("/admin")).Dispose();
        var later = (await BrowsersSeenByAsync(laptop)).Single();

        Assert.Equal(signedInAt.ToString("yyyy-MM-dd HH:mm"), early[3]);
        Assert.Equal(factory.Clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm"), later[3]);
        Assert.Equal(signedInAt.ToString("yyyy-MM-dd HH:mm"), later[2]);
    }

    [Fact]
    public async Task SigningInOnMoreBrowsersThanAreKept_SignsOutTheLongestUnused()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var browsers = new List<HttpClient>();
        for (var i = 0; i <= BrowserSessions.MaxPerAccount; i++)
        {
            browsers.Add(await SignedInAsync(email));
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await AssertSentToSignInAsync(browsers[0]);
        Assert.Equal(HttpStatusCode.OK, (await browsers[1].GetAsync("/admin")).StatusCode);
        Assert.Equal(BrowserSessions.MaxPerAccount, (await BrowsersSeenByAsync(browsers[^1])).Count);
    }

    [Fact]
    public async Task ASessionFromBeforeTheList_StaysSignedIn_AndIsListedOnce()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await SessionCookieWithoutItsRowAsync(email);

        using var first = await GetWithCookieAsync(client, "/admin", cookie);
        var renewed = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("newsportal.auth=", StringComparison.Ordinal)).Split(';')[0];
        using var second = await GetWithCookieAsync(client, "/admin", renewed);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(db => db.BrowserSessions.CountAsync(s => s.User!.Email == email)));
    }

    /// <summary>A session cookie as an earlier version of the site wrote it: the account's claims, and no session named.</summary>
    private async Task<string> SessionCookieWithoutItsRowAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync((await users.FindByEmailAsync(email))!);
        Assert.Null(principal.FindFirst(BrowserSessions.Claim));
        var options = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var now = factory.Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddDays(1) }, IdentityConstants.ApplicationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string url, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData(FirefoxOnLinux, "Firefox on Linux")]
    [InlineData(ChromeOnWindows, "Chrome on Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on macOS")]
    [InlineData("curl/8.5.0", "curl/8.5.0")]
    [InlineData(null, "An unnamed browser")]
    public void ABrowserIsDescribedByItsNameAndSystem(string? userAgent, string expected)
        => Assert.Equal(expected, BrowserSessions.Describe(userAgent));
}
