using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Admin;

/// <summary>An editor changes the password an admin gave them, at /admin/password.</summary>
public sealed class OwnPasswordTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private const string NewPassword = "only-i-know-this-one";

    internal static Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next, string? confirm = null)
        => client.SubmitFormAsync("/admin/password", new Dictionary<string, string?>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = confirm ?? next,
        });

    private async Task<(string Email, HttpClient Client)> SignedInEditorAsync()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        return (email, await SignedInAsync(email));
    }

    /// <summary>A browser of its own signed in to the account.</summary>
    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = factory.CreatePlainClient();
        using var signIn = await client.SignInAsync(email, EditorialFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private async Task<HttpStatusCode> SignInStatusAsync(string email, string password)
    {
        using var signIn = await factory.CreatePlainClient().SignInAsync(email, password);
        return signIn.StatusCode;
    }

    [Fact]
    public async Task AnEditorChangesTheirPassword_SignsInWithTheNewOneOnly_AndStaysSignedInHere()
    {
        var (email, editor) = await SignedInEditorAsync();

        using var change = await ChangeAsync(editor, EditorialFactory.Password, NewPassword);
        // A session's stamp is checked once its cookie is older than the check's interval (none): a moment later.
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await editor.GetDocumentAsync("/admin/password");

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(PasswordModel.Changed, after.TextOf(".notice"));
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(email, NewPassword));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(email, EditorialFactory.Password));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        Assert.True(await db.AuditLog.AnyAsync(a => a.User == email && a.Action == "change password"));
    }

    [Fact]
    public async Task ChangingThePassword_SignsOutEveryOtherBrowserSignedInAsTheEditor()
    {
        var (email, editor) = await SignedInEditorAsync();
        var otherBrowser = await SignedInAsync(email);

        using var change = await ChangeAsync(editor, EditorialFactory.Password, NewPassword);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var elsewhere = await otherBrowser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Contains("/account/login", elsewhere.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SigningOutEveryOtherBrowser_EndsTheirSessions_KeepsThisOne_AndLeavesThePasswordAsItWas()
    {
        var (email, editor) = await SignedInEditorAsync();
        var otherBrowser = await SignedInAsync(email);

        using var signOut = await editor.SubmitFormAsync("/admin/password", new Dictionary<string, string?>(), formSelector: "form[action*='handler=SignOutOthers']");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await editor.GetDocumentAsync("/admin/password");
        using var elsewhere = await otherBrowser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(PasswordModel.SignedOutOthers, after.TextOf(".notice"));
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Contains("/account/login", elsewhere.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(email, EditorialFactory.Password));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        Assert.True(await db.AuditLog.AnyAsync(a => a.User == email && a.Action == "sign out other browsers"));
    }

    [Theory]
    [InlineData("not the current password", NewPassword, NewPassword, UserService.WrongCurrentPassword)]
    [InlineData(EditorialFactory.Password, NewPassword, "only-i-know-this-on", "The new password and its confirmation differ")]
    [InlineData(EditorialFactory.Password, EditorialFactory.Password, EditorialFactory.Password, "is the one you have now")]
    [InlineData(EditorialFactory.Password, "too short", "too short", "at least 10 characters")]
    [InlineData(EditorialFactory.Password, "", "", "Enter a new password.")]
    [InlineData("", NewPassword, NewPassword, "Enter your current password.")]
    public async Task AChangeThatCannotBeMade_IsAFormErrorSayingWhy_AndKeepsThePassword(string current, string next, string confirm, string expected)
    {
        var (email, editor) = await SignedInEditorAsync();

        using var change = await ChangeAsync(editor, current, next, confirm);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, change.StatusCode);
        Assert.Contains(expected, (await change.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(email, EditorialFactory.Password));
    }

    [Fact]
    public async Task WrongCurrentPasswords_LockTheAccountAsWrongSignInsDo_SoAnOpenSessionIsNoWayToGuessIt()
    {
        var (email, editor) = await SignedInEditorAsync();

        // Five wrong passwords lock an account (Identity's lockout as configured), here as at the sign-in form.
        for (var guess = 1; guess <= 5; guess++)
        {
            using var wrong = await ChangeAsync(editor, $"guess number {guess}", NewPassword);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        using var right = await ChangeAsync(editor, EditorialFactory.Password, NewPassword);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, right.StatusCode);
        Assert.Contains(UserService.TooManyWrongPasswords, (await right.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(email, NewPassword));
    }

    [Fact]
    public async Task ABurstOfGuessesAtOnce_IsCheckedOnlyUpToTheMinutesAllowance_NotEachOneBeforeTheLockoutCounts()
    {
        var (_, editor) = await SignedInEditorAsync();
        var page = await editor.GetDocumentAsync("/admin/password");
        var fields = Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)page.QuerySelector("main form[method=post]")!);
        fields["Input.NewPassword"] = fields["Input.ConfirmPassword"] = NewPassword;

        // Sent together, every guess would pass the lockout check before any is counted.
        var answers = await Task.WhenAll(Enumerable.Range(1, 20).Select(async guess =>
        {
            var form = new Dictionary<string, string?>(fields) { ["Input.CurrentPassword"] = $"guess number {guess}" };
            using var response = await editor.PostAsync("/admin/password", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value ?? ""))));
            return (await response.ReadDocumentAsync()).TextOf(".form-errors");
        }));

        // Security:SignInAttemptsPerAccountPerMinute, 10 by default.
        Assert.InRange(answers.Count(a => a.Contains(UserService.WrongCurrentPassword, StringComparison.Ordinal)), 1, 10);
        Assert.Contains(answers, a => a.Contains(PasswordModel.TooManyTries, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterTheChange_TheEditorsBrowserIsStillOneTheAccountKnows_SoAFloodOfGuessesCannotKeepThemOut()
    {
        var (email, editor) = await SignedInEditorAsync();
        using (var change = await ChangeAsync(editor, EditorialFactory.Password, NewPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        }

        using (var signOut = await editor.SubmitFormAsync("/admin", new Dictionary<string, string?>(), "form[action='/account/logout']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        // Someone else's guesses lock the account against every browser it does not know.
        var guesser = factory.CreatePlainClient();
        for (var guess = 1; guess <= 5; guess++)
        {
            using var wrong = await guesser.SignInAsync(email, $"guess number {guess}");
        }

        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(email, NewPassword));
        using var again = await editor.SignInAsync(email, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task TheAdminAreaLinksToThePasswordPage()
    {
        var (_, editor) = await SignedInEditorAsync();

        var admin = await editor.GetDocumentAsync("/admin");

        Assert.Contains(admin.QuerySelectorAll("nav.admin-nav a"), a => a.GetAttribute("href") == "/admin/password" && a.TextContent == "Your password");
    }
}
