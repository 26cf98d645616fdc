using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Tests.Shared;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Accounts;

/// <summary>
/// "Don't ask again on this browser" at the second step of signing in: the browser that asked takes the password alone
/// for <c>Security:RememberSecondStepDays</c> (30 by default), while nothing about the account changes; every other
/// browser is asked as before.
/// </summary>
public sealed class RememberedSecondStepTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private const string AskedForTheSecondStep = "/account/two-step";

    /// <summary>A new browser that typed the password, then the given code at the second step, ticking the box or not.</summary>
    internal static async Task<HttpClient> SignedInWithCodeAsync(EditorialFactory site, string email, string code, bool remember, string? userAgent = null)
    {
        var browser = site.CreatePlainClient();
        if (userAgent is not null)
        {
            browser.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        (await browser.SignInAsync(email, EditorialFactory.Password)).Dispose();
        using var typed = await browser.SubmitFormAsync("/account/two-step?ReturnUrl=%2Fadmin",
            new Dictionary<string, string?> { ["Code"] = code, ["RememberBrowser"] = remember ? "true" : null });
        Assert.Equal(HttpStatusCode.Redirect, typed.StatusCode);
        return browser;
    }

    /// <summary>Where the browser goes after typing the account's password again: the editors' area, or the second step.</summary>
    internal static async Task<string> AfterThePasswordAsync(HttpClient browser, string email, string password = EditorialFactory.Password)
    {
        using var signIn = await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return signIn.Headers.Location!.OriginalString.Split('?')[0];
    }

    [Fact]
    public async Task ABrowserAskedToBeRemembered_TakesThePasswordAloneForThirtyDays_ThenIsAskedAgain_WhileOthersAreAlwaysAsked()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, codes) = await factory.TurnOnTwoStepAsync(email);
        var form = await (await AtTheSecondStepAsync(email)).GetDocumentAsync("/account/two-step");

        var remembered = await SignedInWithCodeAsync(factory, email, AuthenticatorApp.Code(key), remember: true);
        var notTicked = await SignedInWithCodeAsync(factory, email, codes[0], remember: false);
        var within = await AfterThePasswordAsync(remembered, email);
        var notTickedAgain = await AfterThePasswordAsync(notTicked, email);
        var another = await AfterThePasswordAsync(factory.CreatePlainClient(), email);
        factory.Clock.Advance(TimeSpan.FromDays(29));
        var lateButWithin = await AfterThePasswordAsync(remembered, email);
        factory.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var past = await AfterThePasswordAsync(remembered, email);

        Assert.Equal("Don't ask again on this browser for 30 days", form.TextOf("label[for=RememberBrowser]"));
        Assert.Equal("/admin", within);
        Assert.Equal(AskedForTheSecondStep, notTickedAgain);
        Assert.Equal(AskedForTheSecondStep, another);
        Assert.Equal("/admin", lateButWithin);
        Assert.Equal(AskedForTheSecondStep, past);
    }

    [Fact]
    public async Task ARememberedBrowser_IsAskedAgainOnceThePasswordChanges()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, _) = await factory.TurnOnTwoStepAsync(email);
        var remembered = await SignedInWithCodeAsync(factory, email, AuthenticatorApp.Code(key), remember: true);
        var before = await AfterThePasswordAsync(remembered, email);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True((await users.ChangePasswordAsync((await users.FindByEmailAsync(email))!, EditorialFactory.Password, "a new password for this test")).Succeeded);
        }

        var after = await AfterThePasswordAsync(remembered, email, "a new password for this test");

        Assert.Equal("/admin", before);
        Assert.Equal(AskedForTheSecondStep, after);
    }

    [Fact]
    public async Task TheSignInThatSkipsTheSecondStep_StillNeedsTheRightPassword_AndIsInTheAuditLog()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, _) = await factory.TurnOnTwoStepAsync(email);
        var remembered = await SignedInWithCodeAsync(factory, email, AuthenticatorApp.Code(key), remember: true);

        using var wrong = await remembered.SignInAsync(email, "not the password at all");
        var right = await AfterThePasswordAsync(remembered, email);
        var audit = await (await factory.SignedInClientAsync(Roles.Admin)).GetDocumentAsync("/admin/audit?user=" + Uri.EscapeDataString(email));

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(LoginModel.Failed, (await wrong.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal("/admin", right);
        Assert.Contains("this browser not to be asked again for 30 days", audit.TextOf("main"), StringComparison.Ordinal);
        Assert.Contains("on a browser remembered for its second step", audit.TextOf("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingForTheCodeOnEveryBrowserAgain_EndsTheRemembering_AndTheOtherSessions_ButNotThisOne()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, codes) = await factory.TurnOnTwoStepAsync(email);
        var laptop = await SignedInWithCodeAsync(factory, email, AuthenticatorApp.Code(key), remember: true);
        var here = await SignedInWithCodeAsync(factory, email, codes[0], remember: true);

        using var forgot = await here.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?>(), "form[action*='handler=ForgetBrowsers']");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var page = await here.GetDocumentAsync("/admin/two-step");
        using var laptopSession = await laptop.GetAsync("/admin");
        var laptopAgain = await AfterThePasswordAsync(laptop, email);
        var hereAgain = await AfterThePasswordAsync(here, email);

        Assert.Equal(HttpStatusCode.Redirect, forgot.StatusCode);
        Assert.Contains("Every browser now asks for your second step again", page.TextOf(".notice"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, laptopSession.StatusCode);
        Assert.StartsWith("/account/login", laptopSession.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(AskedForTheSecondStep, laptopAgain);
        Assert.Equal(AskedForTheSecondStep, hereAgain);
    }

    private async Task<HttpClient> AtTheSecondStepAsync(string email)
    {
        var browser = factory.CreatePlainClient();
        Assert.Equal(AskedForTheSecondStep, await AfterThePasswordAsync(browser, email));
        return browser;
    }
}

/// <summary>A site that always asks for the second step (<c>Security:RememberSecondStepDays=0</c>).</summary>
public sealed class AlwaysAskFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(TwoStepRule.RememberSetting, "0");
    }
}

public sealed class AlwaysAskedSecondStepTests(AlwaysAskFactory factory) : IClassFixture<AlwaysAskFactory>
{
    [Fact]
    public async Task ASiteSetToRememberNoBrowser_OffersNoChoice_AndAsksEveryTime_WhateverABrowserSends()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, _) = await factory.TurnOnTwoStepAsync(email);
        var browser = factory.CreatePlainClient();
        (await browser.SignInAsync(email, EditorialFactory.Password)).Dispose();
        var form = await browser.GetDocumentAsync("/account/two-step");
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var typed = await browser.PostAsync("/account/two-step?ReturnUrl=%2Fadmin",
            new FormUrlEncodedContent([new("Code", AuthenticatorApp.Code(key)), new("RememberBrowser", "true"), new("__RequestVerificationToken", token)]));
        using var again = await browser.SignInAsync(email, EditorialFactory.Password);

        Assert.Null(form.QuerySelector("input[name=RememberBrowser]"));
        Assert.Equal(HttpStatusCode.Redirect, typed.StatusCode);
        Assert.Equal("/admin", typed.Headers.Location!.OriginalString);
        Assert.StartsWith("/account/two-step", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
