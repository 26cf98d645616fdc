using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Tests.Shared;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Data;
using Serilog.Events;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace NewsPortal.Tests.Accounts;

/// <summary>
/// Two-step sign-in as an editor meets it: set up at /admin/two-step with an authenticator app (whose codes the tests
/// work out from the key the page shows, as the app would), then asked for at /account/two-step after the password.
/// </summary>
public sealed class TwoStepSignInTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private sealed record Account(string Email, HttpClient Client, string Key, IReadOnlyList<string> RecoveryCodes);

    /// <summary>An editor signed in who has turned two-step sign-in on through the page, with the key their app holds.</summary>
    private async Task<Account> EditorWithTwoStepAsync(string role = Roles.Editor)
    {
        var email = await factory.CreateUserAsync(role);
        var client = factory.CreatePlainClient();
        using (var signIn = await client.SignInAsync(email, EditorialFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var (_, key) = await TwoStepPage.NewKeyAsync(client);
        using var turnOn = await client.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?> { ["Code"] = AuthenticatorApp.Code(key) }, "form[action*='handler=On']");
        Assert.Equal(HttpStatusCode.OK, turnOn.StatusCode);
        var codes = (await turnOn.ReadDocumentAsync()).TextsOf(".recovery-codes code");
        return new Account(email, client, key, codes);
    }

    /// <summary>A new browser that has typed the account's password, and is at the page asking for its code.</summary>
    private async Task<HttpClient> AtTheCodeAsync(string email)
    {
        var browser = factory.CreatePlainClient();
        using var signIn = await browser.SignInAsync(email, EditorialFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/account/two-step", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return browser;
    }

    private static Task<HttpResponseMessage> TypeCodeAsync(HttpClient browser, string code)
        => browser.SubmitFormAsync("/account/two-step?ReturnUrl=%2Fadmin", new Dictionary<string, string?> { ["Code"] = code });

    /// <summary>
    /// What a phone's camera reads from the page's QR code: its dark modules (the path's one-module squares) drawn four
    /// pixels each within the picture's own box, with a white margin around it, and decoded by ZXing.
    /// </summary>
    private static string Scanned(AngleSharp.Dom.IElement svg)
    {
        const int Scale = 4, Quiet = 4;
        var box = svg.GetAttribute("viewBox")!.Split(' ').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var width = (box[2] + 2 * Quiet) * Scale;
        var pixels = Enumerable.Repeat((byte)255, width * width).ToArray();
        foreach (Match module in Regex.Matches(svg.QuerySelector("path")!.GetAttribute("d")!, @"M(\d+) (\d+)h1v1h-1z"))
        {
            var (x, y) = (int.Parse(module.Groups[1].Value, CultureInfo.InvariantCulture) - box[0] + Quiet, int.Parse(module.Groups[2].Value, CultureInfo.InvariantCulture) - box[1] + Quiet);
            for (var dy = 0; dy < Scale; dy++)
            {
                Array.Fill(pixels, (byte)0, (y * Scale + dy) * width + x * Scale, Scale);
            }
        }

        // Drawn exactly, black on white: read as a pure code, not searched for as in a photograph.
        var bitmap = new BinaryBitmap(new GlobalHistogramBinarizer(new RGBLuminanceSource(pixels, width, width, RGBLuminanceSource.BitmapFormat.Gray8)));
        return new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true })?.Text ?? "(no QR code found)";
    }

    [Fact]
    public async Task WithTwoStepOn_ThePasswordAloneOpensNoAdminPage_AndTheAppsCodeSignsIn()
    {
        var account = await EditorWithTwoStepAsync();
        var browser = await AtTheCodeAsync(account.Email);

        using var beforeTheCode = await browser.GetAsync("/admin");
        using var wrong = await TypeCodeAsync(browser, AuthenticatorApp.WrongCode(account.Key));
        using var right = await TypeCodeAsync(browser, AuthenticatorApp.Code(account.Key));
        using var after = await browser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, beforeTheCode.StatusCode);
        Assert.Contains("/account/login", beforeTheCode.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(Web.Accounts.TwoStepModel.Failed, (await wrong.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/admin", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().AuditLog.Where(a => a.User == account.Email)
            .OrderBy(a => a.Id).Select(a => a.Action + " " + a.Details).ToListAsync();
        Assert.Contains("turn on two-step sign-in ", audit);
        Assert.Contains("sign in failed a wrong code", audit);
        Assert.Contains("sign in with a code from the app", audit);
    }

    [Fact]
    public async Task SettingUp_ShowsOneKey_AsText_InTheAppsAddress_AndAsAQrCode_AndTurnsOnOnlyWithItsCode()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var client = factory.CreatePlainClient();
        (await client.SignInAsync(email, EditorialFactory.Password)).Dispose();
        var (page, key) = await TwoStepPage.NewKeyAsync(client);

        using var wrong = await client.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?> { ["Code"] = AuthenticatorApp.WrongCode(key) }, "form[action*='handler=On']");
        using var passwordAlone = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(32, key.Length);
        var address = page.QuerySelector("a[href^='otpauth://totp/']")!.GetAttribute("href")!;
        Assert.Contains($"secret={key}&", address, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(email), address, StringComparison.Ordinal);
        Assert.Equal(address, Scanned(page.QuerySelector(".qr-code svg")!));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("not the code your app shows now", (await wrong.ReadDocumentAsync()).TextOf(".form-errors"), StringComparison.Ordinal);
        Assert.Equal("/admin", passwordAlone.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("ÄÖÜÄÖ-ÜÄÖÜÄ")]
    [InlineData("\u202E123456")]
    public async Task ACodeThatIsNeitherTheAppsNorARecoveryCode_IsAFormError(string typed)
    {
        var account = await EditorWithTwoStepAsync();
        var browser = await AtTheCodeAsync(account.Email);
        var token = (await browser.GetDocumentAsync("/account/two-step")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await browser.PostAsync("/account/two-step", new FormUrlEncodedContent([new("Code", typed), new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.Failed, (await response.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task ACodeThatSignedInOnce_DoesNotSignInAgain_WhileItIsStillTheAppsCode()
    {
        var account = await EditorWithTwoStepAsync();
        var code = AuthenticatorApp.Code(account.Key);
        var first = await AtTheCodeAsync(account.Email);
        using (var signedIn = await TypeCodeAsync(first, code))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var second = await AtTheCodeAsync(account.Email);
        using var again = await TypeCodeAsync(second, code);
        using var next = await TypeCodeAsync(second, AuthenticatorApp.Code(account.Key, stepsAhead: code == AuthenticatorApp.Code(account.Key, 1) ? 2 : 1));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.Failed, (await again.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
    }

    [Fact]
    public async Task OneCodeSentFromSeveralBrowsersAtOnce_SignsInOnlyOne_WhetherTheAppsOrARecoveryCode()
    {
        var account = await EditorWithTwoStepAsync();

        // Each browser has typed the password and holds the code form; then both send the same code at the same moment.
        // Two browsers, since passwords and codes alike spend the account's allowance of ten tries a minute.
        async Task<HttpStatusCode[]> AtOnceAsync(string code)
        {
            var browsers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AtTheCodeAsync(account.Email)));
            var forms = await Task.WhenAll(browsers.Select(async browser =>
            {
                var form = (AngleSharp.Html.Dom.IHtmlFormElement)(await browser.GetDocumentAsync("/account/two-step?ReturnUrl=%2Fadmin")).QuerySelector("main form[method=post]")!;
                var fields = Forms.FieldsOf(form);
                fields["Code"] = code;
                return new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
            }));
            var answers = await Task.WhenAll(browsers.Select((browser, i) => browser.PostAsync("/account/two-step?ReturnUrl=%2Fadmin", forms[i])));
            return [.. answers.Select(a => a.StatusCode)];
        }

        var appCode = await AtOnceAsync(AuthenticatorApp.Code(account.Key));
        var recoveryCode = await AtOnceAsync(account.RecoveryCodes[0]);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Redirect], appCode.Order());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Redirect], recoveryCode.Order());
    }

    [Fact]
    public async Task ARecoveryCode_SignsInOnce_HoweverItIsTyped_AndShowsHowManyAreLeft()
    {
        var account = await EditorWithTwoStepAsync();
        Assert.Equal(TwoStepSignIn.RecoveryCodeCount, account.RecoveryCodes.Count);
        var typed = account.RecoveryCodes[0].Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant();

        var browser = await AtTheCodeAsync(account.Email);
        using var recovered = await TypeCodeAsync(browser, typed);
        var page = await browser.GetDocumentAsync("/admin/two-step");
        var later = await AtTheCodeAsync(account.Email);
        using var again = await TypeCodeAsync(later, account.RecoveryCodes[0]);

        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal("/admin/two-step", recovered.Headers.Location!.OriginalString);
        Assert.Contains($"You have {TwoStepSignIn.RecoveryCodeCount - 1} recovery codes left", page.TextOf("main").Normalized(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.Failed, (await again.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task NewRecoveryCodes_ReplaceTheOldOnes()
    {
        var account = await EditorWithTwoStepAsync();

        using var renewed = await account.Client.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?>(), "form[action*='handler=Codes']");
        var fresh = (await renewed.ReadDocumentAsync()).TextsOf(".recovery-codes code");
        using var old = await TypeCodeAsync(await AtTheCodeAsync(account.Email), account.RecoveryCodes[1]);
        using var current = await TypeCodeAsync(await AtTheCodeAsync(account.Email), fresh[1]);

        Assert.Equal(TwoStepSignIn.RecoveryCodeCount, fresh.Length);
        Assert.Empty(fresh.Intersect(account.RecoveryCodes));
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, current.StatusCode);
    }

    private Task<string> StoredCodesAsync(string email) => factory.StoredTokenAsync(email, RecoveryCodes.TokenName);

    private static void AssertHoldsNoneAsTyped(string stored, IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), stored, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task RecoveryCodes_AreStoredAsHashes_NotAsShown_SoACopyOfTheStoreGetsNoOnePastTheSecondStep()
    {
        var account = await EditorWithTwoStepAsync();
        var stored = await StoredCodesAsync(account.Email);
        using var recovered = await TypeCodeAsync(await AtTheCodeAsync(account.Email), account.RecoveryCodes[3]);
        var left = await StoredCodesAsync(account.Email);

        Assert.Equal(TwoStepSignIn.RecoveryCodeCount, stored.Split(';').Length);
        AssertHoldsNoneAsTyped(stored, account.RecoveryCodes);
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(TwoStepSignIn.RecoveryCodeCount - 1, left.Split(';').Length);
        AssertHoldsNoneAsTyped(left, account.RecoveryCodes);
    }

    [Fact]
    public async Task RecoveryCodesStoredAsTypedByAnEarlierVersion_AreHashedAtTheNextStart_AndEachStillSignsInOnce()
    {
        var account = await EditorWithTwoStepAsync();
        string[] typed = ["ABCDE-FGHJK", "MNPQR-TVWXY", "23456-789BC"];
        Task StoreAsTypedAsync() => factory.StoreTokenAsync(account.Email, RecoveryCodes.TokenName, string.Join(';', typed));

        // An earlier version's node, still running beside this one, stores them so.
        await StoreAsTypedAsync();
        using var beforeAStart = await TypeCodeAsync(await AtTheCodeAsync(account.Email), typed[0]);
        var afterASignIn = await StoredCodesAsync(account.Email);
        await StoreAsTypedAsync();
        await DatabaseInitializer.InitializeAsync(factory.Services, seed: false);
        var afterTheStart = await StoredCodesAsync(account.Email);
        using var recovered = await TypeCodeAsync(await AtTheCodeAsync(account.Email), typed[2]);
        using var again = await TypeCodeAsync(await AtTheCodeAsync(account.Email), typed[2]);

        Assert.Equal(HttpStatusCode.Redirect, beforeAStart.StatusCode);
        Assert.Equal(2, afterASignIn.Split(';').Length);
        AssertHoldsNoneAsTyped(afterASignIn, typed);
        Assert.Equal(3, afterTheStart.Split(';').Length);
        AssertHoldsNoneAsTyped(afterTheStart, typed);
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, (await StoredCodesAsync(account.Email)).Split(';').Length);
    }

    private Task<string> StoredKeyAsync(string email) => factory.StoredTokenAsync(email, AuthenticatorKeys.TokenName);

    private Task StoreKeyAsync(string email, string value) => factory.StoreTokenAsync(email, AuthenticatorKeys.TokenName, value);

    /// <summary>A key as another site's data-protection keys would have encrypted it: the same form, other bytes.</summary>
    private static string EncryptedElsewhere(string stored) => stored[..^8] + (stored[^8] == 'A' ? "BBBBBBBB" : "AAAAAAAA");

    [Fact]
    public async Task TheAppsKey_IsStoredEncrypted_NotAsTheAppHoldsIt_SoACopyOfTheStoreAloneMakesNoCodes()
    {
        var account = await EditorWithTwoStepAsync();

        var stored = await StoredKeyAsync(account.Email);
        using var signedIn = await TypeCodeAsync(await AtTheCodeAsync(account.Email), AuthenticatorApp.Code(account.Key));

        Assert.DoesNotContain(account.Key, stored.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.True(stored.Length > account.Key.Length * 2, stored);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task AnAppsKeyStoredAsItIsByAnEarlierVersion_StillMakesCodes_AndIsEncryptedAtTheNextStart()
    {
        var account = await EditorWithTwoStepAsync();
        await StoreKeyAsync(account.Email, account.Key);

        using var beforeTheStart = await TypeCodeAsync(await AtTheCodeAsync(account.Email), AuthenticatorApp.Code(account.Key));
        await DatabaseInitializer.InitializeAsync(factory.Services, seed: false);
        var afterTheStart = await StoredKeyAsync(account.Email);
        var next = AuthenticatorApp.Code(account.Key, stepsAhead: 1);
        using var afterIt = await TypeCodeAsync(await AtTheCodeAsync(account.Email), next == AuthenticatorApp.Code(account.Key) ? AuthenticatorApp.Code(account.Key, 2) : next);

        Assert.Equal(HttpStatusCode.Redirect, beforeTheStart.StatusCode);
        Assert.DoesNotContain(account.Key, afterTheStart.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, afterIt.StatusCode);
    }

    [Fact]
    public async Task AnAppsKeyThisSiteCannotRead_AsInAStoreRestoredWithoutItsKeys_RefusesTheAppsCodes_ButARecoveryCodeSignsIn()
    {
        var account = await EditorWithTwoStepAsync();
        await StoreKeyAsync(account.Email, EncryptedElsewhere(await StoredKeyAsync(account.Email)));

        using var appsCode = await TypeCodeAsync(await AtTheCodeAsync(account.Email), AuthenticatorApp.Code(account.Key));
        using var recovered = await TypeCodeAsync(await AtTheCodeAsync(account.Email), account.RecoveryCodes[0]);

        Assert.Equal(HttpStatusCode.OK, appsCode.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.Failed, (await appsCode.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
    }

    [Fact]
    public async Task AStartFindingAppsKeysThisSiteCannotRead_WarnsHowManyAccountsMustUseARecoveryCode()
    {
        var sink = new LogSink();
        using var site = new LoggedFactory(sink);
        var readable = await site.CreateUserAsync(Roles.Editor);
        var unreadable = await site.CreateUserAsync(Roles.Editor);
        await site.TurnOnTwoStepAsync(readable);
        await site.TurnOnTwoStepAsync(unreadable);

        await DatabaseInitializer.InitializeAsync(site.Services, seed: false);
        var whileReadable = sink.AtLeast(LogEventLevel.Warning);
        await site.StoreTokenAsync(unreadable, AuthenticatorKeys.TokenName, EncryptedElsewhere(await site.StoredTokenAsync(unreadable, AuthenticatorKeys.TokenName)));
        await DatabaseInitializer.InitializeAsync(site.Services, seed: false);

        Assert.DoesNotContain(whileReadable, w => w.Contains("authenticator key", StringComparison.Ordinal));
        var warning = Assert.Single(sink.AtLeast(LogEventLevel.Warning), w => w.Contains("authenticator key", StringComparison.Ordinal));
        Assert.StartsWith("Accounts whose authenticator key this site's data-protection keys cannot read: 1.", warning, StringComparison.Ordinal);
        Assert.Contains("recovery code", warning, StringComparison.Ordinal);
    }

    private sealed class LoggedFactory(LogSink sink) : EditorialFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<Serilog.Core.ILogEventSink>(sink));
        }
    }

    [Fact]
    public async Task TurningItOff_NeedsThePassword_AfterWhichThePasswordAloneSignsIn_AndTheOldAppsCodesAreWorthless()
    {
        var account = await EditorWithTwoStepAsync();

        using var wrongPassword = await account.Client.SubmitFormAsync("/admin/two-step",
            new Dictionary<string, string?> { ["Password"] = "not my password at all" }, "form[action*='handler=Off']");
        using var turnedOff = await account.Client.SubmitFormAsync("/admin/two-step",
            new Dictionary<string, string?> { ["Password"] = EditorialFactory.Password }, "form[action*='handler=Off']");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var page = await account.Client.GetDocumentAsync("/admin/two-step");
        using var passwordAlone = await factory.CreatePlainClient().SignInAsync(account.Email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongPassword.StatusCode);
        Assert.Contains(UserService.WrongCurrentPassword, (await wrongPassword.ReadDocumentAsync()).TextOf(".form-errors"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, turnedOff.StatusCode);
        Assert.Contains("Two-step sign-in is off", page.TextOf(".notice"), StringComparison.Ordinal);
        Assert.Equal("/admin", passwordAlone.Headers.Location!.OriginalString);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(account.Email))!;
        Assert.False(await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, AuthenticatorApp.Code(account.Key)));
    }

    [Fact]
    public async Task AnAdminTurnsOffTheTwoStepSignInOfAnEditorWhoLostTheirPhone_EndingTheirSessions()
    {
        var account = await EditorWithTwoStepAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var users = await admin.GetDocumentAsync("/admin/users");
        var row = users.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td")!.TextContent == account.Email);
        var id = row.QuerySelector("form[action*='handler=TwoStepOff'] input[name=id]")!.GetAttribute("value")!;

        using var turnedOff = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?> { ["id"] = id }, "form[action*='handler=TwoStepOff']");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var oldSession = await account.Client.GetAsync("/admin");
        using var passwordAlone = await factory.CreatePlainClient().SignInAsync(account.Email, EditorialFactory.Password);
        var after = await admin.GetDocumentAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, turnedOff.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, oldSession.StatusCode);
        Assert.Contains("/account/login", oldSession.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/admin", passwordAlone.Headers.Location!.OriginalString);
        Assert.Null(after.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td")!.TextContent == account.Email)
            .QuerySelector("form[action*='handler=TwoStepOff']"));
    }

    [Fact]
    public async Task AnEditor_CannotTurnOffAnothersTwoStepSignIn()
    {
        var account = await EditorWithTwoStepAsync();
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await using var scope = factory.Services.CreateAsyncScope();
        var id = (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(account.Email))!.Id;
        var token = (await editor.GetDocumentAsync("/admin/two-step")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var refused = await editor.PostAsync("/admin/users?handler=TwoStepOff",
            new FormUrlEncodedContent([new("id", id), new("__RequestVerificationToken", token)]));
        using var stillAsked = await factory.CreatePlainClient().SignInAsync(account.Email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.StartsWith("/account/two-step", stillAsked.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCodeStepWaitsFiveMinutes_ThenAsksForThePasswordAgain()
    {
        var account = await EditorWithTwoStepAsync();
        var browser = await AtTheCodeAsync(account.Email);
        var form = await browser.GetDocumentAsync("/account/two-step");
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        factory.Clock.Advance(TwoStepSignIn.PendingFor + TimeSpan.FromSeconds(1));
        using var late = await browser.PostAsync("/account/two-step", new FormUrlEncodedContent([new("Code", AuthenticatorApp.Code(account.Key)), new("__RequestVerificationToken", token)]));
        using var admin = await browser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        var page = await late.ReadDocumentAsync();
        Assert.Equal(Web.Accounts.TwoStepModel.Expired, page.TextOf(".form-errors"));
        Assert.NotNull(page.QuerySelector("main a[href^='/account/login']"));
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
    }

    [Fact]
    public async Task WrongCodes_LockTheAccountAsWrongPasswordsDo_SoThatAStolenPasswordCannotGuessOn()
    {
        var account = await EditorWithTwoStepAsync();
        var guesser = await AtTheCodeAsync(account.Email);
        for (var i = 0; i < 5; i++)
        {
            using var guess = await TypeCodeAsync(guesser, AuthenticatorApp.WrongCode(account.Key));
            Assert.Equal(HttpStatusCode.OK, guess.StatusCode);
        }

        using var right = await TypeCodeAsync(guesser, AuthenticatorApp.Code(account.Key));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(Web.Accounts.TwoStepModel.Failed, (await right.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, (await guesser.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task TheCodePage_WithNoPasswordTypedFirst_SendsToSignIn()
    {
        using var response = await factory.CreatePlainClient().GetAsync("/account/two-step?ReturnUrl=%2Fadmin%2Fusers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fadmin%2Fusers", response.Headers.Location!.OriginalString);
    }
}

/// <summary>The editor's own two-step page, as a browser signed in uses it.</summary>
internal static class TwoStepPage
{
    /// <summary>Asks the page for a new key ("Set up"), then reads the page that shows it, and the key as its app takes it.</summary>
    public static async Task<(AngleSharp.Dom.IDocument Page, string Key)> NewKeyAsync(HttpClient client)
    {
        using (var setUp = await client.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?>(), "form[action*='handler=Key']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, setUp.StatusCode);
        }

        var page = await client.GetDocumentAsync("/admin/two-step");
        return (page, page.TextOf(".setup-key").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
    }
}

/// <summary>A site whose sign-in pages take three attempts a minute from one address, as <see cref="StrictSignInFactory"/>.</summary>
public sealed class StrictTwoStepFactory : EditorialFactory
{
    protected override int SignInAttemptsPerMinute => 3;
}

public sealed class TwoStepRateLimitTests(StrictTwoStepFactory factory) : IClassFixture<StrictTwoStepFactory>
{
    [Fact]
    public async Task CodesAtTheSecondStep_SpendTheAddresssAllowanceOfSignInAttempts_WithThePasswords()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, _) = await factory.TurnOnTwoStepAsync(email);

        var browser = factory.CreatePlainClient();
        using var password = await browser.SignInAsync(email, EditorialFactory.Password);
        var statuses = new List<HttpStatusCode>();
        foreach (var code in new[] { AuthenticatorApp.WrongCode(key), AuthenticatorApp.WrongCode(key), AuthenticatorApp.Code(key) })
        {
            using var typed = await browser.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Code"] = code });
            statuses.Add(typed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}

/// <summary>A site that requires two-step sign-in of its admins (<c>Security:RequireTwoStep=Admins</c>).</summary>
public sealed class AdminsTwoStepFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(TwoStepRule.Setting, "Admins");
    }
}

public sealed class RequiredTwoStepTests(AdminsTwoStepFactory factory) : IClassFixture<AdminsTwoStepFactory>
{
    [Fact]
    public async Task AnAdminSignedInWithThePasswordAlone_IsSentToSetUpTheSecondStep_AndGoesOnOnceItIsOn()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        using var users = await admin.GetAsync("/admin/users");
        var setUp = await admin.GetDocumentAsync("/admin/two-step");
        var token = setUp.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var write = await admin.PostAsync("/admin/webhooks?handler=Add",
            new FormUrlEncodedContent([new("Input.Url", "https://hooks.example.org/x"), new("__RequestVerificationToken", token)]));
        var (_, key) = await TwoStepPage.NewKeyAsync(admin);
        using var turnedOn = await admin.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?> { ["Code"] = AuthenticatorApp.Code(key) }, "form[action*='handler=On']");
        using var after = await admin.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, users.StatusCode);
        Assert.Equal("/admin/two-step", users.Headers.Location!.OriginalString);
        Assert.Equal("/admin/two-step", write.Headers.Location?.OriginalString);
        Assert.Contains("asks your account to sign in with two steps", setUp.TextOf("main"), StringComparison.Ordinal);
        Assert.DoesNotContain("asks your account", (await turnedOn.ReadDocumentAsync()).TextOf("main"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task AnAdminRequiredToUseTwoSteps_MayTakeAPasskeyAsTheSecondStep_AddingItFirst_ThenAfterThePasswordEachTime()
    {
        var email = await factory.CreateUserAsync(Roles.Admin);
        var setUp = factory.CreatePlainClient();
        (await setUp.SignInAsync(email, EditorialFactory.Password)).Dispose();
        using var passkey = new SoftwarePasskey();

        using var before = await setUp.GetAsync("/admin/users");
        var passkeysPage = await setUp.GetDocumentAsync("/admin/passkeys");
        using var added = await PasskeyPages.AddAsync(setUp, passkey, "Laptop");
        using var after = await setUp.GetAsync("/admin/users");
        // Next time: the password, then the passkey (the account has no app to give a code).
        var browser = factory.CreatePlainClient();
        using var password = await browser.SignInAsync(email, EditorialFactory.Password, "/admin/users");
        using var passwordAlone = await browser.GetAsync("/admin/users");
        var secondStep = await browser.GetDocumentAsync(password.Headers.Location!.OriginalString);
        // A code posted by hand: this account has none that could be right.
        var token = secondStep.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var aCode = await browser.PostAsync("/account/two-step", new FormUrlEncodedContent([new("Code", "123456"), new("__RequestVerificationToken", token)]));
        using var withPasskey = await PasskeyPages.CeremonyAsync(browser, password.Headers.Location.OriginalString, passkey.Get, PasskeyPages.NoChanges);
        using var users = await browser.GetAsync("/admin/users");

        Assert.Equal("/admin/two-step", before.Headers.Location?.OriginalString);
        Assert.Contains("Add a passkey below", passkeysPage.TextOf("[role=status]"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.StartsWith("/account/two-step", password.Headers.Location.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, passwordAlone.StatusCode);
        Assert.StartsWith("/account/login", passwordAlone.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(secondStep.QuerySelector("input[name=Code]"));
        Assert.NotNull(secondStep.QuerySelector("form[data-passkey]"));
        Assert.Contains(Web.Accounts.TwoStepModel.Failed, (await aCode.ReadDocumentAsync()).TextOf(".form-errors"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, withPasskey.StatusCode);
        Assert.Equal("/admin/users", withPasskey.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Fact]
    public async Task AnAdminWhosePasskeyIsTheSecondStep_MayHaveABrowserRemembered_AndHaveEveryBrowserAskAgainFromThePasskeysPage()
    {
        var email = await factory.CreateUserAsync(Roles.Admin);
        var here = factory.CreatePlainClient();
        (await here.SignInAsync(email, EditorialFactory.Password)).Dispose();
        using var passkey = new SoftwarePasskey();
        (await PasskeyPages.AddAsync(here, passkey, "Laptop")).Dispose();
        var laptop = factory.CreatePlainClient();
        using var password = await laptop.SignInAsync(email, EditorialFactory.Password);
        using var withPasskey = await PasskeyPages.CeremonyAsync(laptop, password.Headers.Location!.OriginalString, passkey.Get,
            new Dictionary<string, string?> { ["RememberBrowser"] = "true" });

        using var remembered = await laptop.SignInAsync(email, EditorialFactory.Password);
        var page = await here.GetDocumentAsync("/admin/passkeys");
        using var forgot = await here.SubmitFormAsync("/admin/passkeys", new Dictionary<string, string?>(), "form[action*='handler=ForgetBrowsers']");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var hereStill = await here.GetAsync("/admin/users");
        using var askedAgain = await laptop.SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, withPasskey.StatusCode);
        Assert.Equal("/admin", remembered.Headers.Location!.OriginalString);
        Assert.NotNull(page.QuerySelector("form[action*='handler=ForgetBrowsers']"));
        Assert.Equal(HttpStatusCode.Redirect, forgot.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hereStill.StatusCode);
        Assert.StartsWith("/account/two-step", askedAgain.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditor_IsNotAsked_WhenOnlyAdminsMustUseTwoSteps()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var page = await editor.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task AnAdminRequiredToUseTwoSteps_CannotTurnThemOff_ButSignsInWithTheAppsCodeAndGoesOn_PageAfterPage()
    {
        var email = await factory.CreateUserAsync(Roles.Admin);
        var (key, _) = await factory.TurnOnTwoStepAsync(email);
        var browser = factory.CreatePlainClient();
        (await browser.SignInAsync(email, EditorialFactory.Password)).Dispose();
        (await browser.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Code"] = AuthenticatorApp.Code(key) })).Dispose();
        // A moment later, as a reader's next page comes: the session's stamp is checked, and it is made again.
        factory.Clock.Advance(TimeSpan.FromSeconds(1));

        using var users = await browser.GetAsync("/admin/users");
        using var off = await browser.SubmitFormAsync("/admin/two-step", new Dictionary<string, string?> { ["Password"] = EditorialFactory.Password }, "form[action*='handler=Off']");

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, off.StatusCode);
        Assert.Contains("requires two-step sign-in for your account", (await off.ReadDocumentAsync()).TextOf(".form-errors"), StringComparison.Ordinal);
    }
}
