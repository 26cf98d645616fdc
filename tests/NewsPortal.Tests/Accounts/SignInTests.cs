using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Accounts;

public sealed class SignInTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task RightPassword_SignsInAndGoesToTheAdminArea()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();

        using var response = await client.SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Theory]
    [InlineData(null, "/admin", "Go to the editors' area")]
    [InlineData("/admin/import", "/admin/import", "Go on to the page you asked for")]
    [InlineData("https://evil.example/", "/admin", "Go to the editors' area")]
    public async Task TheSignInPage_TellsASignedInEditorWhoTheyAre_AndLetsThemGoOnOrSignOut(string? returnUrl, string link, string words)
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();
        using var signIn = await client.SignInAsync(email, EditorialFactory.Password);

        var page = await client.GetDocumentAsync("/account/login" + (returnUrl is null ? "" : $"?ReturnUrl={Uri.EscapeDataString(returnUrl)}"));
        var goOn = page.QuerySelector("main a");
        using var signOut = await client.SubmitFormAsync("/account/login", new Dictionary<string, string?>());
        using var afterSignOut = await client.GetAsync("/admin");

        Assert.Contains($"You are signed in as {email}.", page.TextOf("main [role=status]"));
        Assert.Null(page.QuerySelector("input[type=password]"));
        Assert.Equal(link, goOn?.GetAttribute("href"));
        Assert.Equal(words, goOn?.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith("/account/login", afterSignOut.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ShowsAFormError()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();

        using var response = await client.SignInAsync(email, "not the password");
        var page = await response.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LoginModel.Failed, page.QuerySelector(".form-errors")!.TextContent);
    }

    [Fact]
    public async Task ASignInWithALongEmailEndingInAnEmoji_IsAFailedSignInLikeAnyOther()
    {
        using var response = await factory.CreatePlainClient().SignInAsync(new string('a', 255) + "😀@example.org", "not the password");
        var page = await response.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LoginModel.Failed, page.QuerySelector(".form-errors")!.TextContent);
    }

    [Fact]
    public async Task EveryKindOfFailure_ShowsTheSameMessage_SoAccountsCannotBeFoundOut()
    {
        var locked = await factory.CreateUserAsync(Roles.Editor);
        var known = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();
        for (var i = 0; i < 5; i++)
        {
            (await client.SignInAsync(locked, "wrong")).Dispose();
        }

        var messages = new List<string>();
        foreach (var (email, password) in new[] { ($"nobody-{Guid.NewGuid():N}@example.org", "whatever password"), (known, "wrong"), (locked, EditorialFactory.Password) })
        {
            using var response = await client.SignInAsync(email, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            messages.Add((await response.ReadDocumentAsync()).QuerySelector(".form-errors")!.TextContent.Trim());
        }

        Assert.Equal([LoginModel.Failed, LoginModel.Failed, LoginModel.Failed], messages);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccountEvenForTheRightOne()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();
        for (var i = 0; i < 5; i++)
        {
            (await client.SignInAsync(email, "wrong")).Dispose();
        }

        using var response = await client.SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("locked", (await response.ReadDocumentAsync()).QuerySelector(".form-errors")!.TextContent);
    }

    [Fact]
    public async Task WrongPasswordsSentAtOnce_EachCountTowardsTheLockout_AndNoneFails()
    {
        // Counted by Identity's read-then-write, most of a burst was lost to its concurrency check (and failed the
        // request): eight guesses at once counted two or three, and the right password then signed in.
        var email = await factory.CreateUserAsync(Roles.Editor);

        var guesses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await factory.CreatePlainClient().SignInAsync(email, "guess " + i);
            return response.StatusCode;
        }));
        using var right = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);
        var lockedOut = await factory.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<PortalUser>>()
            .FindByEmailAsync(email) is { } user && user.LockoutEnd > DateTimeOffset.UtcNow;

        Assert.All(guesses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.True(lockedOut);
    }

    [Fact]
    public async Task AFloodOfWrongPasswordsFromElsewhere_DoesNotKeepTheEditorOut_OfABrowserTheySignedInFromBefore()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var usualBrowser = factory.CreatePlainClient();
        (await usualBrowser.SignInAsync(email, EditorialFactory.Password)).Dispose();
        (await usualBrowser.SubmitFormAsync("/admin", new Dictionary<string, string?>(), "form[action='/account/logout']")).Dispose();
        for (var i = 0; i < 5; i++)
        {
            (await factory.CreatePlainClient().SignInAsync(email, "guess " + i)).Dispose();
        }

        using var newBrowser = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);
        using var usual = await usualBrowser.SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.OK, newBrowser.StatusCode);
        Assert.Contains(LoginModel.Failed, (await newBrowser.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, usual.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await usualBrowser.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task ABrowserKnownToOneAccount_IsAStrangerToAnother()
    {
        var known = await factory.CreateUserAsync(Roles.Editor);
        var target = await factory.CreateUserAsync(Roles.Admin);
        var browser = factory.CreatePlainClient();
        (await browser.SignInAsync(known, EditorialFactory.Password)).Dispose();
        for (var i = 0; i < 5; i++)
        {
            (await browser.SignInAsync(target, "guess " + i)).Dispose();
        }

        using var right = await browser.SignInAsync(target, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(LoginModel.Failed, (await right.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task AnAdminResettingThePassword_MakesEveryBrowserAStrangerAgain()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var usualBrowser = factory.CreatePlainClient();
        (await usualBrowser.SignInAsync(email, EditorialFactory.Password)).Dispose();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserService>().ResetPasswordAsync(user!.Id, "a brand new password", "admin@example.org"));
        }

        for (var i = 0; i < 5; i++)
        {
            (await factory.CreatePlainClient().SignInAsync(email, "guess " + i)).Dispose();
        }

        using var usual = await usualBrowser.SignInAsync(email, "a brand new password");

        Assert.Equal(HttpStatusCode.OK, usual.StatusCode);
        Assert.Contains(LoginModel.Failed, (await usual.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Theory]
    [InlineData("https://evil.example/steal", "/admin")]
    [InlineData("//evil.example/steal", "/admin")]
    [InlineData("/admin/import", "/admin/import")]
    public async Task ReturnUrl_OnlyEverLeadsBackIntoThisSite(string returnUrl, string expected)
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();

        using var response = await client.SignInAsync(email, EditorialFactory.Password, returnUrl);

        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheHeaderOffersTheAdminAreaOnlyToEditorsAndAdmins()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var noRole = await factory.SignedInClientAsync(role: null);

        var editorPage = await editor.GetDocumentAsync("/");
        var noRolePage = await noRole.GetDocumentAsync("/");

        Assert.NotNull(editorPage.QuerySelector("header nav a[href='/admin']"));
        Assert.Null(noRolePage.QuerySelector("header nav a[href='/admin']"));
        Assert.NotNull(noRolePage.QuerySelector("header form[action='/account/logout']"));
    }

    [Fact]
    public async Task TheWayToTheSignInPage_IsAPath_WhateverHostHeaderCame()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Host = "evil.example";

        using var response = await factory.CreatePlainClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fadmin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = await factory.SignedInClientAsync(Roles.Editor);

        using var signOut = await client.SubmitFormAsync("/admin", new Dictionary<string, string?>(), "form[action='/account/logout']");
        using var after = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }
}

/// <summary>The sign-in form with its real rate limit of a few attempts a minute.</summary>
public sealed class StrictSignInFactory : EditorialFactory
{
    protected override int SignInAttemptsPerMinute => 3;
}

public sealed class SignInRateLimitTests(StrictSignInFactory factory) : IClassFixture<StrictSignInFactory>
{
    [Fact]
    public async Task TooManySignInAttempts_Answer429WithRetryAfter()
    {
        var client = factory.CreatePlainClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.SignInAsync("nobody@example.org", "wrong");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter is not null || last.Headers.Contains("Retry-After"));
        last.Dispose();
    }
}

/// <summary>Three attempts a minute per account, from any address.</summary>
public sealed class PerAccountLimitFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Security:SignInAttemptsPerAccountPerMinute", "3");
    }
}

public sealed class PerAccountSignInLimitTests(PerAccountLimitFactory factory) : IClassFixture<PerAccountLimitFactory>
{
    [Fact]
    public async Task AttemptsAtOneAccount_AreLimitedWhateverTheirAddress_WithoutLockingOthersOut()
    {
        var target = await factory.CreateUserAsync(Roles.Admin);
        var other = await factory.CreateUserAsync(Roles.Editor);
        for (var i = 0; i < 3; i++)
        {
            // A fresh client each time, as an attacker rotating addresses would be.
            (await factory.CreatePlainClient().SignInAsync(target, "guess " + i)).Dispose();
        }

        using var right = await factory.CreatePlainClient().SignInAsync(target, EditorialFactory.Password);
        using var others = await factory.CreatePlainClient().SignInAsync(other, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(LoginModel.Failed, (await right.ReadDocumentAsync()).QuerySelector(".form-errors")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, others.StatusCode);
    }

    [Fact]
    public async Task ABrowserTheAccountKnows_HasItsOwnAllowance_ThatAFloodFromElsewhereDoesNotSpend_AndItsOwnGuessesDo()
    {
        var target = await factory.CreateUserAsync(Roles.Admin);
        var usualBrowser = factory.CreatePlainClient();
        (await usualBrowser.SignInAsync(target, EditorialFactory.Password)).Dispose();
        for (var i = 0; i < 3; i++)
        {
            (await factory.CreatePlainClient().SignInAsync(target, "guess " + i)).Dispose();
        }

        using var afterFlood = await usualBrowser.SignInAsync(target, EditorialFactory.Password);
        for (var i = 0; i < 2; i++)
        {
            (await usualBrowser.SignInAsync(target, "typo " + i)).Dispose();
        }

        using var pastItsAllowance = await usualBrowser.SignInAsync(target, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, afterFlood.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pastItsAllowance.StatusCode);
        Assert.Contains(LoginModel.Failed, (await pastItsAllowance.ReadDocumentAsync()).TextOf(".form-errors"));
    }
}

/// <summary>A site whose address is https, reached (as behind a proxy that does not say so) over plain http.</summary>
public sealed class HttpsSiteFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:PublicBaseUrl", "https://news.example.org");
    }
}

public sealed class HttpsSiteSignInTests(HttpsSiteFactory factory) : IClassFixture<HttpsSiteFactory>
{
    [Fact]
    public async Task OnASiteServedOverHttps_TheSessionAndDeviceCookies_AreSentOverHttpsOnly()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var form = await client.GetAsync("/account/login");
        var page = await form.ReadDocumentAsync();
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = EditorialFactory.Password,
                ["__RequestVerificationToken"] = page.QuerySelector("main form input[name='__RequestVerificationToken']")!.GetAttribute("value")!,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);

        using var signedIn = await client.SendAsync(post);
        var cookies = signedIn.Headers.GetValues("Set-Cookie").ToList();

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(cookies, c => c.StartsWith("newsportal.auth=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cookies, c => c.StartsWith(KnownDevices.CookieName + "=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
