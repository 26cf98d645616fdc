using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using Serilog.Core;
using Serilog.Events;

namespace NewsPortal.Tests.Admin;

public sealed class UserAdminTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static string RowIdFor(AngleSharp.Dom.IDocument page, string email)
        => page.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td")!.TextContent == email)
            .QuerySelector("input[name=id]")!.GetAttribute("value")!;

    [Fact]
    public async Task AnAdminAddsAnEditor_WhoCanThenSignIn()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        using var add = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>
        {
            ["email"] = "new.editor@example.org",
            ["password"] = "a long first password",
            ["role"] = "Editor",
        }, "form[action*='handler=Add']");
        using var signIn = await factory.CreatePlainClient().SignInAsync("new.editor@example.org", "a long first password");

        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Theory]
    [InlineData("short", "at least 10 characters")]
    [InlineData("\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B", "at least 10 characters you can see")]
    [InlineData("a b c d e\u200Bf", "at least 10 characters you can see")]
    public async Task AddingAUserWithAShortPassword_IsAFormError(string password, string expected)
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        using var add = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>
        {
            ["email"] = $"short-{Guid.NewGuid():N}@example.org",
            ["password"] = password,
            ["role"] = "Editor",
        }, "form[action*='handler=Add']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, add.StatusCode);
        Assert.Contains(expected, (await add.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task AnEmailLongerThanTheAccountsTableHolds_IsAFormError()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        using var add = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>
        {
            ["email"] = new string('u', 245) + "@example.org",
            ["password"] = EditorialFactory.Password,
            ["role"] = "Editor",
        }, "form[action*='handler=Add']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, add.StatusCode);
        Assert.Contains("at most 256 characters", (await add.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    [Fact]
    public async Task APasswordInAnyScript_CountsEachLetter()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var email = $"script-{Guid.NewGuid():N}@example.org";

        using var add = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>
        {
            ["email"] = email,
            ["password"] = "Истанбул-переговоры",
            ["role"] = "Editor",
        }, "form[action*='handler=Add']");
        using var signIn = await factory.CreatePlainClient().SignInAsync(email, "Истанбул-переговоры");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task ResettingAPassword_ReplacesTheOldOne()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var id = RowIdFor(await admin.GetDocumentAsync("/admin/users"), email);

        using var reset = await ResetAsync(admin, id);
        using var oldPassword = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);
        using var newPassword = await factory.CreatePlainClient().SignInAsync(email, "a brand new password");

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
    }

    [Fact]
    public async Task AnAdminsOwnRow_SendsThemToYourPassword_AndResettingTheirOwnHereIsRefused()
    {
        var email = await factory.CreateUserAsync(Roles.Admin);
        var admin = factory.CreatePlainClient();
        using var signIn = await admin.SignInAsync(email, EditorialFactory.Password);
        var other = await factory.CreateUserAsync(Roles.Editor);
        var page = await admin.GetDocumentAsync("/admin/users");
        var ownRow = page.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td")!.TextContent == email);
        var ownId = await UserIdAsync(email);

        // As a form kept open from before, or made by hand: another row's form with this admin's id.
        using var reset = await ResetAsync(admin, ownId, formOf: RowIdFor(page, other));
        using var oldPassword = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(["/admin/two-step", "/admin/passkeys", "/admin/password"], ownRow.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Empty(ownRow.QuerySelectorAll("form"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reset.StatusCode);
        Assert.Contains(UserService.ResetOwnPassword, (await reset.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, oldPassword.StatusCode);
    }

    [Fact]
    public async Task ResettingALockedOutEditorsPassword_LetsThemSignInAtOnce()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var id = await UserIdAsync(email);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // Locked as wrong passwords lock it (Identity's lockout reads the system clock).
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(id))!, DateTimeOffset.UtcNow.AddMinutes(5));
        }

        using var whileLocked = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        using var reset = await ResetAsync(admin, id);
        using var afterReset = await factory.CreatePlainClient().SignInAsync(email, "a brand new password");

        Assert.Equal(HttpStatusCode.OK, whileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterReset.StatusCode);
    }

    [Fact]
    public async Task ResettingADisabledEditorsPassword_LeavesThemDisabled()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var id = await UserIdAsync(email);
        // A wrong password before the account was disabled: the reset forgets it, and only it.
        using var wrong = await factory.CreatePlainClient().SignInAsync(email, "not the password");
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>(), $"form[action*='handler=Disable']:has(input[value='{id}'])");

        using var reset = await ResetAsync(admin, id);
        using var signIn = await factory.CreatePlainClient().SignInAsync(email, "a brand new password");

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("disabled", (await signIn.ReadDocumentAsync()).TextOf(".form-errors"));
    }

    private static Task<HttpResponseMessage> ResetAsync(HttpClient admin, string id, string? formOf = null)
        => admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?> { ["id"] = id, ["password"] = "a brand new password" },
            $"form[action*='handler=Reset']:has(input[value='{formOf ?? id}'])");

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    [Theory]
    [InlineData("Disable")]
    [InlineData("Reset")]
    public async Task DisablingOrResettingAnAccount_EndsItsOpenSessionsAtOnce(string handler)
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var editor = factory.CreatePlainClient();
        using var signIn = await editor.SignInAsync(email, EditorialFactory.Password);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var id = RowIdFor(await admin.GetDocumentAsync("/admin/users"), email);
        using var before = await editor.GetAsync("/admin");

        using var change = await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?> { ["password"] = "a brand new password" },
            $"form[action*='handler={handler}']:has(input[value='{id}'])");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var after = await editor.GetAsync("/admin");
        using var write = await editor.GetAsync("/admin/articles/edit");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, write.StatusCode);
    }

    [Fact]
    public async Task ADisabledEditor_CannotSignIn_UntilEnabledAgain()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var id = RowIdFor(await admin.GetDocumentAsync("/admin/users"), email);

        await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>(), $"form[action*='handler=Disable']:has(input[value='{id}'])");
        using var whileDisabled = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);
        await admin.SubmitFormAsync("/admin/users", new Dictionary<string, string?>(), $"form[action*='handler=Enable']:has(input[value='{id}'])");
        using var afterEnabled = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);

        Assert.Equal(HttpStatusCode.OK, whileDisabled.StatusCode);
        Assert.Contains("disabled", (await whileDisabled.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, afterEnabled.StatusCode);
    }

    [Fact]
    public async Task DisablingOneAccountFromManyTabsAtOnce_NeverFails_AndTheAccountIsDisabled()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var id = RowIdFor(await admin.GetDocumentAsync("/admin/users"), email);

        var results = await admin.SubmitFormAtOnceAsync("/admin/users", $"form[action*='handler=Disable']:has(input[value='{id}'])", 12);
        using var signIn = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);

        Assert.All(results, status => Assert.Equal(HttpStatusCode.Redirect, status));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("disabled", (await signIn.ReadDocumentAsync()).TextOf(".form-errors"));
    }
}

/// <summary>A fresh install whose first admin comes from configuration, as an operator would set it through the environment.</summary>
public sealed class ConfiguredAdminFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Admin:Email", "first.admin@example.org");
        builder.UseSetting("Admin:Password", "configured admin password");
    }
}

public sealed class FirstAdminTests(ConfiguredAdminFactory factory) : IClassFixture<ConfiguredAdminFactory>
{
    [Fact]
    public async Task AdminFromConfiguration_CanSignInAndManageUsers()
    {
        var client = factory.CreatePlainClient();

        using var signIn = await client.SignInAsync("first.admin@example.org", "configured admin password");
        using var users = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Fact]
    public async Task ThereIsNoBuiltInPassword()
    {
        foreach (var (email, password) in new[] { ("admin@example.org", "admin"), ("admin", "password"), ("admin@localhost", "changeme123") })
        {
            using var response = await factory.CreatePlainClient().SignInAsync(email, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

public sealed class HalfConfiguredAdminTests
{
    [Theory]
    [InlineData("Admin:Email", "half.admin@example.org", "Admin:Password")]
    [InlineData("Admin:Password", "configured admin password", "Admin:Email")]
    public void AnAdminEmailWithoutAPassword_OrTheReverse_CreatesNoAdmin_AndTheLogSaysWhichIsMissing(string key, string value, string missing)
    {
        var sink = new LogSink();
        using var factory = new HalfAdminFactory(key, value, sink);
        _ = factory.Server;

        var warning = Assert.Single(sink.AtLeast(LogEventLevel.Warning), w => w.Contains("No admin was created from configuration", StringComparison.Ordinal));
        Assert.Contains($"\"{missing}\" is not set", warning);
    }

    private sealed class HalfAdminFactory(string key, string value, LogSink sink) : EditorialFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(key, value);
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(sink));
        }
    }
}
