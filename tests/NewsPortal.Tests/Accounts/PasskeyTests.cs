using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Accounts;

/// <summary>
/// Passkeys as an editor meets them: added at /admin/passkeys (after the password), then "Sign in with a passkey" at
/// /account/login. The browser's part (the page's script and the authenticator) is played by <see cref="SoftwarePasskey"/>,
/// posting the same forms the script posts.
/// </summary>
public sealed class PasskeyTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private async Task<(string Email, HttpClient Browser)> SignedInEditorAsync()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var browser = factory.CreatePlainClient();
        using var signIn = await browser.SignInAsync(email, EditorialFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return (email, browser);
    }

    private Task<HttpResponseMessage> SignInWithAsync(SoftwarePasskey passkey, HttpClient? browser = null)
        => PasskeyPages.SignInWithAsync(browser ?? factory.CreatePlainClient(), passkey);

    private async Task<List<string>> AuditOfAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NewsDbContext>().AuditLog.Where(a => a.User == email)
            .OrderBy(a => a.Id).Select(a => a.Action + " " + a.Details).ToListAsync();
    }

    [Fact]
    public async Task AnEditorAddsAPasskey_ThenItAloneSignsIn_WithNeitherPasswordNorTheAppsCode()
    {
        var (email, editor) = await SignedInEditorAsync();
        await factory.TurnOnTwoStepAsync(email);
        using var passkey = new SoftwarePasskey();

        using var added = await PasskeyPages.AddAsync(editor, passkey, "Work laptop");
        var listed = await editor.GetDocumentAsync("/admin/passkeys");
        var browser = factory.CreatePlainClient();
        using var signIn = await SignInWithAsync(passkey, browser);
        using var admin = await browser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Work laptop", listed.TextOf(".admin-table tbody"), StringComparison.Ordinal);
        Assert.Contains("Passkey added", listed.TextOf("[role=status]"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/admin/passkeys", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        var audit = await AuditOfAsync(email);
        Assert.Contains("add a passkey Work laptop", audit);
        Assert.Contains("sign in with a passkey: Work laptop", audit);
    }

    [Fact]
    public async Task WithTwoStepOn_ThePasswordGoesOnToTheAppsCodeOrTheAccountsOwnPasskey_AndAFailedPasskeyLeavesTheCodeWorking()
    {
        var (email, editor) = await SignedInEditorAsync();
        using var passkey = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(editor, passkey, "Laptop")).Dispose();
        var (key, _) = await factory.TurnOnTwoStepAsync(email);
        var (_, someoneElse) = await SignedInEditorAsync();
        using var othersPasskey = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(someoneElse, othersPasskey, "Someone else's")).Dispose();

        var byPasskey = factory.CreatePlainClient();
        using var password = await byPasskey.SignInAsync(email, EditorialFactory.Password, "/admin");
        var secondStep = await byPasskey.GetDocumentAsync(password.Headers.Location!.OriginalString);
        using var withOthers = await PasskeyPages.CeremonyAsync(byPasskey, "/account/two-step?ReturnUrl=%2Fadmin", othersPasskey.Get, PasskeyPages.NoChanges);
        using var withOwn = await PasskeyPages.CeremonyAsync(byPasskey, "/account/two-step?ReturnUrl=%2Fadmin", passkey.Get, PasskeyPages.NoChanges);
        using var admin = await byPasskey.GetAsync("/admin");
        // Another browser: the passkey asked for, then failing (a cancelled prompt, a key that is not there), then the code.
        var byCode = factory.CreatePlainClient();
        (await byCode.SignInAsync(email, EditorialFactory.Password)).Dispose();
        using var failed = await PasskeyPages.CeremonyAsync(byCode, "/account/two-step", _ => "{}", PasskeyPages.NoChanges);
        using var code = await byCode.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Code"] = Shared.AuthenticatorApp.Code(key) });

        Assert.StartsWith("/account/two-step", password.Headers.Location.OriginalString, StringComparison.Ordinal);
        Assert.NotNull(secondStep.QuerySelector("input[name=Code]"));
        Assert.NotNull(secondStep.QuerySelector("form[data-passkey]"));
        Assert.Equal(HttpStatusCode.BadRequest, withOthers.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.PasskeyFailed, (await withOthers.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, withOwn.StatusCode);
        Assert.Equal("/admin", withOwn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/admin", code.Headers.Location!.OriginalString);
        Assert.Contains("sign in with a password and a passkey: Laptop", await AuditOfAsync(email));
    }

    [Fact]
    public async Task AddingAPasskey_AsksForThePasswordFirst_SoABrowserLeftSignedInCannotAddOne()
    {
        var (email, editor) = await SignedInEditorAsync();
        using var passkey = new SoftwarePasskey();

        using var wrongPassword = await PasskeyPages.AddAsync(editor, passkey, "Intruder", password: "not the password");
        // Straight to the form's own address, without a challenge from the password step.
        using var noChallenge = await editor.SubmitFormAsync("/admin/passkeys", new Dictionary<string, string?>
        {
            ["Credential"] = passkey.Create("""{"rp":{"id":"localhost"},"user":{"id":"dXNlcg"},"challenge":"AAAA"}"""),
        }, "form[data-passkey]");
        using var signIn = await SignInWithAsync(passkey);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongPassword.StatusCode);
        Assert.Contains(UserService.WrongCurrentPassword, await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noChallenge.StatusCode);
        Assert.Contains(Passkeys.NotAccepted, (await noChallenge.ReadDocumentAsync()).TextOf(".form-errors"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Empty((await editor.GetDocumentAsync("/admin/passkeys")).QuerySelectorAll(".admin-table tbody tr"));
        var audit = await AuditOfAsync(email);
        Assert.Contains("add a passkey failed ", audit);
        Assert.DoesNotContain(audit, line => line.StartsWith("add a passkey ", StringComparison.Ordinal) && line != "add a passkey failed ");
    }

    [Fact]
    public async Task APasskeyAnsweringAnotherSitesPage_OrAnOldChallenge_SignsNothingIn()
    {
        var (_, editor) = await SignedInEditorAsync();
        using var passkey = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(editor, passkey, "Phone")).Dispose();

        // A phishing page at another address relays the site's challenge; the browser names the page it was asked on.
        passkey.Origin = "http://news-portal.example.net";
        using var phished = await SignInWithAsync(passkey);
        passkey.Origin = "http://localhost";
        // An answer seen once (in a log, say) and sent again with a new challenge of its own.
        string? seen = null;
        using var first = await PasskeyPages.CeremonyAsync(factory.CreatePlainClient(), "/account/login", new SoftwarePasskeyRecorder(passkey, answer => seen = answer).Get, PasskeyPages.NoChanges);
        var replayer = factory.CreatePlainClient();
        using var replayed = await PasskeyPages.CeremonyAsync(replayer, "/account/login", _ => seen!, PasskeyPages.NoChanges);
        using var replayerAdmin = await replayer.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.BadRequest, phished.StatusCode);
        Assert.Equal(Web.Accounts.LoginModel.PasskeyFailed, (await phished.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replayerAdmin.StatusCode);
    }

    [Fact]
    public async Task ACopyOfAPasskeyAnswerAndItsCookie_SentAgainFromElsewhere_SignsNothingIn_EvenForAPasskeyThatCountsNoUses()
    {
        var (_, editor) = await SignedInEditorAsync();
        using var passkey = new SoftwarePasskey { CountsUses = false };
        (await PasskeyPages.AddAsync(editor, passkey, "Synced phone")).Dispose();
        // The editor's browser, whose cookies the test can read as a proxy's log would show them.
        var cookies = new System.Net.CookieContainer();
        var browser = factory.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        (string Action, FormUrlEncodedContent Form)? answer = null;
        string? cookieHeader = null;
        string Answer(string options)
        {
            cookieHeader = cookies.GetCookieHeader(new Uri("http://localhost/account/login"));
            return passkey.Get(options);
        }

        using var signIn = await PasskeyPages.CeremonyAsync(browser, "/account/login", Answer, PasskeyPages.NoChanges, (action, form) => answer = (action, form));
        // The same form and cookies again, from a client keeping no cookies of its own.
        var copier = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var (action, form) = answer!.Value;
        using var copy = new HttpRequestMessage(HttpMethod.Post, action) { Content = new StringContent(await form.ReadAsStringAsync(), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };
        copy.Headers.Add("Origin", "http://localhost");
        copy.Headers.Add("Cookie", cookieHeader!);
        using var copied = await copier.SendAsync(copy);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, copied.StatusCode);
        Assert.Equal(Web.Accounts.LoginModel.PasskeyFailed, (await copied.ReadDocumentAsync()).TextOf(".form-errors"));
        var given = copied.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : [];
        using var admin = new HttpRequestMessage(HttpMethod.Get, "/admin");
        admin.Headers.Add("Cookie", string.Join("; ", given.Prepend(cookieHeader)));
        using var copiersAdmin = await copier.SendAsync(admin);
        Assert.Equal(HttpStatusCode.Redirect, copiersAdmin.StatusCode);
    }

    [Fact]
    public async Task ARemovedPasskey_NoLongerSignsIn()
    {
        var (email, editor) = await SignedInEditorAsync();
        using var kept = new SoftwarePasskey();
        using var lost = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(editor, kept, "Desk key")).Dispose();
        (await PasskeyPages.AddAsync(editor, lost, "Old phone")).Dispose();

        using var removed = await editor.SubmitFormAsync("/admin/passkeys", new Dictionary<string, string?> { ["Id"] = lost.Id }, "form[action*='handler=Remove']");
        using var removedAgain = await editor.SubmitFormAsync("/admin/passkeys", new Dictionary<string, string?> { ["Id"] = lost.Id }, "form[action*='handler=Remove']");
        using var withLost = await SignInWithAsync(lost);
        using var withKept = await SignInWithAsync(kept);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, removedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withLost.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withKept.StatusCode);
        var rows = (await editor.GetDocumentAsync("/admin/passkeys")).TextsOf(".admin-table tbody td:first-child");
        Assert.Equal(["Desk key"], rows);
        Assert.Contains("remove a passkey Old phone", await AuditOfAsync(email));
    }

    [Fact]
    public async Task APasskeySignsInThroughALockoutThatGuessesCaused_ButNeverIntoADisabledAccount()
    {
        var (email, editor) = await SignedInEditorAsync();
        using var passkey = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(editor, passkey, "Phone")).Dispose();
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;

        await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(15));
        using var throughLockout = await SignInWithAsync(passkey);
        await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(user.Id, disabled: true, "test");
        using var disabled = await SignInWithAsync(passkey);

        Assert.Equal(HttpStatusCode.Redirect, throughLockout.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, disabled.StatusCode);
        Assert.Equal(Web.Accounts.LoginModel.PasskeyFailed, (await disabled.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task AnAdminRemovesTheLostDevicesPasskeysOfAnotherAccount_EndingItsSessions_ButNotTheirOwnThere()
    {
        var (email, editor) = await SignedInEditorAsync();
        using var passkey = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(editor, passkey, "Stolen laptop")).Dispose();
        var thief = factory.CreatePlainClient();
        (await PasskeyPages.SignInWithAsync(thief, passkey)).Dispose();
        var adminEmail = await factory.CreateUserAsync(Roles.Admin);
        var admin = factory.CreatePlainClient();
        (await admin.SignInAsync(adminEmail, EditorialFactory.Password)).Dispose();
        var before = await admin.GetDocumentAsync("/admin/users");
        string RowOf(AngleSharp.Dom.IDocument page, string who)
            => page.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td")!.TextContent == who).TextContent.Normalized();

        // Other tests' accounts have passkeys too: a row's form, with the account's id. First, as a form kept open from
        // before or made by hand, with the admin's own.
        using var own = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?> { ["id"] = await IdOfAsync(adminEmail) }, "form[action*='handler=PasskeysOff']");
        using var removed = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?> { ["id"] = await IdOfAsync(email) }, "form[action*='handler=PasskeysOff']");
        // Sessions are checked against the account once their cookie is older than its last change.
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var thiefAfter = await thief.GetAsync("/admin");
        using var editorAfter = await editor.GetAsync("/admin");
        using var signInAgain = await SignInWithAsync(passkey);
        var after = await admin.GetDocumentAsync("/admin/users");

        Assert.Contains("1 Remove all", RowOf(before, email), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, own.StatusCode);
        Assert.Contains(Web.Admin.UsersModel.RemoveOwnPasskeys, await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, thiefAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, editorAfter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signInAgain.StatusCode);
        Assert.DoesNotContain("Remove all", RowOf(after, email), StringComparison.Ordinal);
        Assert.Contains("remove passkeys 1 removed", await AuditOfAsync(adminEmail));
    }

    private async Task<string> IdOfAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>Gives the account <paramref name="count"/> passkeys straight in the store (keys no test signs in with).</summary>
    private async Task HoldPasskeysAsync(string email, int count)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        for (var i = 0; i < count; i++)
        {
            var key = new UserPasskeyInfo(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), new byte[77], DateTimeOffset.UtcNow, 0, null, true, false, false, [], []) { Name = $"Key {i}" };
            Assert.True((await users.AddOrUpdatePasskeyAsync(user, key)).Succeeded);
        }
    }

    [Fact]
    public async Task AnAccountHoldsAtMostTenPasskeys()
    {
        var (email, editor) = await SignedInEditorAsync();
        await HoldPasskeysAsync(email, Passkeys.MaxPerAccount);

        using var passkey = new SoftwarePasskey();
        using var eleventh = await PasskeyPages.AddAsync(editor, passkey, "One too many");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, eleventh.StatusCode);
        // Refused when asking for the challenge, before the browser would make a key the site then throws away.
        Assert.Equal("application/json", eleventh.Content.Headers.ContentType?.MediaType);
        Assert.Contains(Passkeys.TooMany, await eleventh.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Passkeys.MaxPerAccount, (await editor.GetDocumentAsync("/admin/passkeys")).QuerySelectorAll(".admin-table tbody tr").Length);
    }

    [Fact]
    public async Task TheTenthPasskeyAddedFromTwoBrowsersAtOnce_IsKeptOnce_AndTheOtherIsRefused()
    {
        var (email, first) = await SignedInEditorAsync();
        var second = factory.CreatePlainClient();
        using (var signIn = await second.SignInAsync(email, EditorialFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        await HoldPasskeysAsync(email, Passkeys.MaxPerAccount - 1);

        // Both browsers hold a challenge, given while the account had room for one more, before either answers.
        using var bothAsked = new Barrier(2);
        using var laptop = new SoftwarePasskey();
        using var phone = new SoftwarePasskey();
        Func<string, string> AfterBoth(SoftwarePasskey passkey) => options =>
        {
            Assert.True(bothAsked.SignalAndWait(TimeSpan.FromSeconds(30)));
            return passkey.Create(options);
        };
        var answers = await Task.WhenAll(
            Task.Run(() => PasskeyPages.CeremonyAsync(first, "/admin/passkeys", AfterBoth(laptop), new Dictionary<string, string?> { ["Name"] = "Laptop", ["Password"] = EditorialFactory.Password })),
            Task.Run(() => PasskeyPages.CeremonyAsync(second, "/admin/passkeys", AfterBoth(phone), new Dictionary<string, string?> { ["Name"] = "Phone", ["Password"] = EditorialFactory.Password })));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.UnprocessableEntity], answers.Select(a => a.StatusCode).Order());
        Assert.Contains(Passkeys.TooMany, await answers.Single(a => a.StatusCode == HttpStatusCode.UnprocessableEntity).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Passkeys.MaxPerAccount, (await first.GetDocumentAsync("/admin/passkeys")).QuerySelectorAll(".admin-table tbody tr").Length);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    public static TheoryData<string> NotACredential =>
    [
        "",
        "{",
        "null",
        "[]",
        "\"public-key\"",
        """{"id":1,"rawId":2,"type":"public-key","response":{}}""",
        """{"id":"!!","rawId":"!!","type":"public-key","response":{"clientDataJSON":"!!","authenticatorData":"!!","signature":"!!"}}""",
        """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA","authenticatorData":"AA","signature":"AA","userHandle":"AA"},"clientExtensionResults":{}}""",
        new string('{', 5000),
        "{\"id\":\"" + new string('A', 200_000) + "\"}",
        "\ufffe\u202e\ud800",
    ];

    [Theory]
    [MemberData(nameof(NotACredential))]
    public async Task WhatIsNotABrowsersPasskey_IsRefusedOnTheForm_WithOrWithoutAChallenge(string credential)
    {
        var (email, editor) = await SignedInEditorAsync();
        await HoldPasskeysAsync(email, 1);
        await factory.TurnOnTwoStepAsync(email);
        var secondStep = factory.CreatePlainClient();
        (await secondStep.SignInAsync(email, EditorialFactory.Password)).Dispose();

        using var signInWithChallenge = await PasskeyPages.CeremonyAsync(factory.CreatePlainClient(), "/account/login", _ => credential, PasskeyPages.NoChanges);
        using var signInWithout = await factory.CreatePlainClient().SubmitFormAsync("/account/login", new Dictionary<string, string?> { ["Credential"] = credential }, "form[data-passkey]");
        using var addWithChallenge = await PasskeyPages.CeremonyAsync(editor, "/admin/passkeys", _ => credential,
            new Dictionary<string, string?> { ["Name"] = "Odd", ["Password"] = EditorialFactory.Password });
        using var remove = await editor.SubmitFormAsync("/admin/passkeys", new Dictionary<string, string?> { ["Id"] = credential }, "form[data-passkey]", submitHandler: "Remove");
        using var secondStepWithout = await secondStep.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Credential"] = credential }, "form[data-passkey]");
        using var secondStepWithChallenge = await PasskeyPages.CeremonyAsync(secondStep, "/account/two-step", _ => credential, PasskeyPages.NoChanges);

        Assert.Equal(HttpStatusCode.BadRequest, signInWithChallenge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signInWithout.StatusCode);
        Assert.Equal(Web.Accounts.LoginModel.PasskeyFailed, (await signInWithout.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, addWithChallenge.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, remove.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, secondStepWithout.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.PasskeyFailed, (await secondStepWithout.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.BadRequest, secondStepWithChallenge.StatusCode);
    }

    /// <summary>The authenticator's answers, also handed to <paramref name="seen"/> as an onlooker would see them.</summary>
    private sealed class SoftwarePasskeyRecorder(SoftwarePasskey passkey, Action<string> seen)
    {
        public string Get(string options)
        {
            var answer = passkey.Get(options);
            seen(answer);
            return answer;
        }
    }
}

/// <summary>
/// What the passkey forms' script does in a browser: post the form to its challenge address, hand the challenge to the
/// authenticator, put its answer in the form and submit it.
/// </summary>
public static class PasskeyPages
{
    public static readonly Dictionary<string, string?> NoChanges = [];

    /// <summary>
    /// What the page's script does: post the passkey form to its challenge address, hand the challenge to the
    /// authenticator, put its answer in the form and submit it. Returns the challenge's answer when it was refused.
    /// </summary>
    public static async Task<HttpResponseMessage> CeremonyAsync(
        HttpClient browser, string pageUrl, Func<string, string> authenticator, IDictionary<string, string?> changes, Action<string, FormUrlEncodedContent>? sent = null)
    {
        var page = await browser.GetDocumentAsync(pageUrl);
        var form = (IHtmlFormElement)page.QuerySelector("form[data-passkey]")!;
        var fields = Forms.FieldsOf(form);
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        var challenge = await browser.PostAsync(new Uri(new Uri("http://localhost" + pageUrl), form.GetAttribute("data-options")).PathAndQuery, Encoded(fields));
        if (!challenge.IsSuccessStatusCode)
        {
            return challenge;
        }

        fields["Credential"] = authenticator(await challenge.Content.ReadAsStringAsync());
        challenge.Dispose();
        // As a browser does with every form it posts: the page's origin.
        using var submit = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action")) { Content = Encoded(fields) };
        sent?.Invoke(form.GetAttribute("action")!, Encoded(fields));
        submit.Headers.Add("Origin", "http://localhost");
        return await browser.SendAsync(submit);
    }

    private static FormUrlEncodedContent Encoded(Dictionary<string, string?> fields)
        => new(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));

    public static Task<HttpResponseMessage> AddAsync(HttpClient browser, SoftwarePasskey passkey, string name, string password = EditorialFactory.Password)
        => CeremonyAsync(browser, "/admin/passkeys", passkey.Create, new Dictionary<string, string?> { ["Name"] = name, ["Password"] = password });

    public static Task<HttpResponseMessage> SignInWithAsync(HttpClient browser, SoftwarePasskey passkey)
        => CeremonyAsync(browser, "/account/login?ReturnUrl=%2Fadmin%2Fpasskeys", passkey.Get, NoChanges);
}

/// <summary>A site behind a proxy: its address is Portal:PublicBaseUrl, whatever host the requests reach it by.</summary>
public sealed class PublicAddressFactory : EditorialFactory
{
    public const string Address = "http://news.example.org";

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // As an admin may write it: the browser's Origin header has no capitals, default port or slash.
        builder.UseSetting("Portal:PublicBaseUrl", "http://News.Example.org:80/");
    }
}

public sealed class PasskeyPublicAddressTests(PublicAddressFactory factory) : IClassFixture<PublicAddressFactory>
{
    [Fact]
    public async Task BehindAProxy_APasskeyIsForTheSitesPublicAddress_AndAnswersFromPagesElsewhereAreRefused()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var editor = factory.CreatePlainClient();
        (await editor.SignInAsync(email, EditorialFactory.Password)).Dispose();
        using var passkey = new SoftwarePasskey(PublicAddressFactory.Address);
        string? site = null;

        using var added = await PasskeyPages.CeremonyAsync(editor, "/admin/passkeys", options =>
        {
            site = (string?)System.Text.Json.Nodes.JsonNode.Parse(options)!["rp"]!["id"];
            return passkey.Create(options);
        }, new Dictionary<string, string?> { ["Name"] = "Phone", ["Password"] = EditorialFactory.Password });
        using var signIn = await PasskeyPages.SignInWithAsync(factory.CreatePlainClient(), passkey);
        // The internal address the proxy forwards to, as a page served there would name it.
        passkey.Origin = "http://localhost";
        using var elsewhere = await PasskeyPages.SignInWithAsync(factory.CreatePlainClient(), passkey);

        Assert.Equal("news.example.org", site);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }
}
