using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Accounts;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Tests.Shared;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Api;
using NewsPortal.Web.Import;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Tests.Import;

/// <summary>
/// <c>export --everything</c> then importing the folder into another store: the newsroom's accounts, tokens, webhooks,
/// revisions and audit log go with the stories, so a move to PostgreSQL loses nothing an editor or admin relied on.
/// </summary>
public sealed class StoreMoveTests(EmptyNewsPortalFactory factory) : IClassFixture<EmptyNewsPortalFactory>, IDisposable
{
    private const string HookSecret = "kept-secret-of-the-subscriber-0123456789";
    private const string Passphrase = "harbour lights at dawn";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A webhook subscriber of <paramref name="source"/>'s, its secret stored as the site stores it.</summary>
    private static Task<int> AddHookAsync(NewsPortalFactory source, string url) => source.WithDbAsync(db =>
    {
        var secret = source.Services.GetRequiredService<WebhookSecrets>().Protect(HookSecret)!;
        db.WebhookSubscriptions.Add(new WebhookSubscription { Url = url, Secret = secret, CreatedBy = "admin@example.org", CreatedAtUtc = DateTime.UtcNow });
        return db.SaveChangesAsync();
    });

    /// <summary>Exports everything of <paramref name="source"/>'s to a folder, sealed with <see cref="Passphrase"/>.</summary>
    private async Task<string> MoveEverythingAsync(NewsPortalFactory source, string name)
    {
        var moveDir = Path.Combine(_folder.Path, name);
        await using var scope = source.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, moveDir, everythingSealedWith: new MoveSeal(Passphrase));
        return moveDir;
    }

    [Fact]
    public async Task ExportEverythingThenImport_LetsEditorsSignInUseTheirTokensAndSeeTheirRevisions_WithWebhooksAndTheAuditLogKept()
    {
        using var source = new EditorialFactory();
        var editor = await source.CreateUserAsync(Roles.Editor);
        var leaver = await source.CreateUserAsync(Roles.Editor);
        string token;
        await using (var scope = source.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            token = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync((await users.FindByEmailAsync(editor))!.Id, editor, "newsroom script"))!;
            await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync((await users.FindByEmailAsync(leaver))!.Id, true, "admin@example.org");
        }

        var api = source.CreatePlainClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (await api.PostAsJsonAsync("/api/v1/articles", new { title = "Harbour plan drafted", body = "The first draft.", publishedOn = "2026-03-01", status = "Draft" }))
        {
        }

        var version = JsonDocument.Parse(await api.GetStringAsync("/api/v1/articles/harbour-plan-drafted")).RootElement.GetProperty("version").GetInt32();
        using (await api.PutAsJsonAsync("/api/v1/articles/harbour-plan-drafted", new { body = "The second draft.", version }))
        {
        }

        await AddHookAsync(source, "https://hooks.example.org/newsportal");
        var moveDir = await MoveEverythingAsync(source, "move");

        using var target = new EditorialFactory();
        var report = await target.ImportAsync(new MoveSeal(Passphrase), moveDir);
        var again = await target.ImportAsync(new MoveSeal(Passphrase), moveDir);
        using var signedIn = await target.CreatePlainClient().SignInAsync(editor, EditorialFactory.Password);
        using var disabled = await target.CreatePlainClient().SignInAsync(leaver, EditorialFactory.Password);
        var targetApi = target.CreatePlainClient();
        targetApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var draft = await targetApi.GetAsync("/api/v1/articles/harbour-plan-drafted");
        var admin = await target.SignedInClientAsync(Roles.Admin);
        var id = await target.WithDbAsync(db => db.Articles.Where(a => a.Slug == "harbour-plan-drafted").Select(a => a.Id).SingleAsync());
        var revisions = await admin.GetDocumentAsync($"/admin/articles/{id}/revisions");
        var audit = await admin.GetDocumentAsync($"/admin/audit?user={Uri.EscapeDataString(editor)}");

        Assert.False(report.HasRejections, report.ToString());
        Assert.Equal((2, 1, 1, 2), (report.KeptOf("accounts"), report.KeptOf("API tokens"), report.KeptOf("webhooks"), report.KeptOf("revisions")));
        Assert.True(report.KeptOf("audit entries") >= 3, report.ToString());
        Assert.Equal(0, again.Kept.Sum(k => k.Count));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        Assert.Equal(["2", "1"], revisions.TextsOf("tbody td:nth-child(1)"));
        Assert.Equal([editor, editor], revisions.TextsOf("tbody td:nth-child(3)"));
        Assert.Contains(audit.TextsOf("tbody tr"), r => r.Contains("create token") && r.Contains("newsroom script"));
        // The secret travels as the receiver knows it, each site keeping it encrypted with its own keys.
        var hook = await target.WithDbAsync(async db => (await db.WebhookSubscriptions.Select(s => s.Url).SingleAsync(), await db.WebhookSubscriptions.Select(s => s.Secret).SingleAsync(),
            await db.WebhookSubscriptions.CountAsync()));
        Assert.Equal(("https://hooks.example.org/newsportal", HookSecret, 1), (hook.Item1, target.Services.GetRequiredService<WebhookSecrets>().Unprotect(hook.Item2), hook.Item3));
        Assert.DoesNotContain(HookSecret, hook.Item2, StringComparison.Ordinal);
        Assert.Equal(1, await target.WithDbAsync(db => db.ApiTokens.CountAsync()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnEditorsTwoStepSignIn_MovesWithTheAccount_SameAppAndRecoveryCodes_NeitherFileNorStoreHoldingACodeAsTyped(bool exportedByAnEarlierVersion)
    {
        using var source = new EditorialFactory();
        var editor = await source.CreateUserAsync(Roles.Editor);
        var (key, codes) = await source.TurnOnTwoStepAsync(editor);

        var moveDir = await MoveEverythingAsync(source, "two-step");

        var accounts = Path.Combine(moveDir, StoreMove.AccountsFile);
        Assert.DoesNotContain(codes[0], File.ReadAllText(accounts), StringComparison.Ordinal);
        Assert.DoesNotContain(key, File.ReadAllText(accounts).ToUpperInvariant(), StringComparison.Ordinal);
        if (exportedByAnEarlierVersion)
        {
            // An earlier version wrote the recovery codes into the file as they were shown.
            File.WriteAllLines(accounts, File.ReadAllLines(accounts).Select(line =>
            {
                var account = System.Text.Json.Nodes.JsonNode.Parse(line)!;
                foreach (var token in account["tokens"]!.AsArray().Where(t => (string?)t!["name"] == RecoveryCodes.TokenName))
                {
                    token!["value"] = string.Join(';', codes);
                }

                return account.ToJsonString();
            }));
        }

        using var target = new EditorialFactory();
        var report = await target.ImportAsync(new MoveSeal(Passphrase), moveDir);
        var stored = await target.WithDbAsync(db => db.UserTokens.Where(t => t.Name == RecoveryCodes.TokenName).Select(t => t.Value!).SingleAsync());
        var storedKey = await target.WithDbAsync(db => db.UserTokens.Where(t => t.Name == AuthenticatorKeys.TokenName).Select(t => t.Value!).SingleAsync());
        var browser = target.CreatePlainClient();
        using var password = await browser.SignInAsync(editor, EditorialFactory.Password);
        using var code = await browser.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Code"] = AuthenticatorApp.Code(key) });
        var other = target.CreatePlainClient();
        (await other.SignInAsync(editor, EditorialFactory.Password)).Dispose();
        using var recovery = await other.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Code"] = codes[0] });

        Assert.False(report.HasRejections, report.ToString());
        Assert.Equal(codes.Count, stored.Split(';').Length);
        Assert.DoesNotContain(codes[1], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key, storedKey.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.StartsWith("/account/two-step", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/admin", code.Headers.Location!.OriginalString);
        Assert.Equal("/admin/two-step", recovery.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnEditorsPasskey_MovesWithTheAccount_AndSignsInToTheNewStore()
    {
        using var source = new EditorialFactory();
        var editor = await source.CreateUserAsync(Roles.Editor);
        var signedIn = source.CreatePlainClient();
        (await signedIn.SignInAsync(editor, EditorialFactory.Password)).Dispose();
        using var passkey = new SoftwarePasskey();
        using (var added = await PasskeyPages.AddAsync(signedIn, passkey, "Phone"))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var moveDir = await MoveEverythingAsync(source, "passkey");

        using var target = new EditorialFactory();
        var report = await target.ImportAsync(new MoveSeal(Passphrase), moveDir);
        var browser = target.CreatePlainClient();
        using var signIn = await PasskeyPages.SignInWithAsync(browser, passkey);
        var listed = await browser.GetDocumentAsync("/admin/passkeys");

        Assert.False(report.HasRejections, report.ToString());
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("Phone", listed.TextOf(".admin-table tbody td"));
    }

    [Fact]
    public async Task TheMovesTwoStepKeysAndWebhookSecrets_AreSealedWithItsPassphrase_AndAnImportWithoutItOrWithAnotherNamesTheirLines_KeepingTheRest()
    {
        using var source = new EditorialFactory();
        var plainEditor = await source.CreateUserAsync(Roles.Editor);
        var twoStepEditor = await source.CreateUserAsync(Roles.Editor);
        var (key, _) = await source.TurnOnTwoStepAsync(twoStepEditor);
        await AddHookAsync(source, "https://hooks.example.org/sealed");
        var moveDir = await MoveEverythingAsync(source, "sealed");

        string InMove(string name) => Path.Combine(moveDir, name);
        var accountLine = File.ReadAllLines(InMove(StoreMove.AccountsFile)).ToList().FindIndex(l => l.Contains(twoStepEditor, StringComparison.Ordinal)) + 1;

        using var withoutIt = new EditorialFactory();
        var notGiven = await withoutIt.ImportAsync(moveDir);
        using var withAnother = new EditorialFactory();
        var another = await withAnother.ImportAsync(new MoveSeal("not the passphrase at all"), moveDir);
        var thenGiven = await withAnother.ImportAsync(new MoveSeal(Passphrase), moveDir);
        var browser = withAnother.CreatePlainClient();
        using var password = await browser.SignInAsync(twoStepEditor, EditorialFactory.Password);
        using var code = await browser.SubmitFormAsync("/account/two-step", new Dictionary<string, string?> { ["Code"] = AuthenticatorApp.Code(key) });
        var hook = await withAnother.WithDbAsync(db => db.WebhookSubscriptions.Select(s => s.Secret).SingleAsync());

        Assert.DoesNotContain(HookSecret, File.ReadAllText(InMove(StoreMove.WebhooksFile)), StringComparison.Ordinal);
        Assert.DoesNotContain(key, File.ReadAllText(InMove(StoreMove.AccountsFile)).ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Equal(
            [$"{InMove(StoreMove.AccountsFile)}:{accountLine}: the account '{twoStepEditor}' was not kept: its authenticator key is sealed with the passphrase it was exported with: give it in NEWSPORTAL_MOVE_PASSPHRASE (or when asked) and import the folder again",
             $"{InMove(StoreMove.WebhooksFile)}:1: the webhook 'https://hooks.example.org/sealed' was not kept: its signing secret is sealed with the passphrase it was exported with: give it in NEWSPORTAL_MOVE_PASSPHRASE (or when asked) and import the folder again"],
            notGiven.Problems.Select(p => p.ToString()));
        Assert.True(await withoutIt.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == plainEditor)));
        Assert.Equal(
            [$"{InMove(StoreMove.AccountsFile)}:{accountLine}: the account '{twoStepEditor}' was not kept: its authenticator key does not open with the passphrase given (not the one it was exported with, or the line was changed)",
             $"{InMove(StoreMove.WebhooksFile)}:1: the webhook 'https://hooks.example.org/sealed' was not kept: its signing secret does not open with the passphrase given (not the one it was exported with, or the line was changed)"],
            another.Problems.Select(p => p.ToString()));
        Assert.False(thenGiven.HasRejections, thenGiven.ToString());
        Assert.Equal((1, 1), (thenGiven.KeptOf("accounts"), thenGiven.KeptOf("webhooks")));
        Assert.Equal("/admin", code.Headers.Location!.OriginalString);
        Assert.Equal(HookSecret, withAnother.Services.GetRequiredService<WebhookSecrets>().Unprotect(hook));
    }

    [Fact]
    public async Task AStoreMoveOfAnEarlierVersion_WithSecretsAsTheyWere_StillMoves()
    {
        var folder = Path.Combine(_folder.Path, "earlier");
        _folder.Write("earlier/articles.jsonl", "");
        _folder.Write("earlier/webhooks.jsonl", $$"""
            {"url":"https://hooks.example.org/earlier","secret":"{{HookSecret}}","active":true,"createdBy":"admin","createdAtUtc":"2026-01-01T00:00:00Z"}
            """);

        using var target = new EditorialFactory();
        var report = await target.ImportAsync(folder);
        var hook = await target.WithDbAsync(db => db.WebhookSubscriptions.Select(s => s.Secret).SingleAsync());

        Assert.False(report.HasRejections, report.ToString());
        Assert.Equal(HookSecret, target.Services.GetRequiredService<WebhookSecrets>().Unprotect(hook));
    }

    [Fact]
    public async Task AStoryDeletedForGood_StaysOutOfTheStoreItsNewsroomMovesTo_WhenAFeedSendsItAgain()
    {
        const string item = """{"title":"Quay witness named","publishedOn":"2026-03-03","body":"Named.","site":"agency.example","originalUrl":"https://agency.example/quay"}""";
        using var source = new EditorialFactory();
        var sourceEditor = await source.TokenClientAsync(Roles.Editor);
        var sourceAdmin = await source.TokenClientAsync(Roles.Admin);
        using (await sourceEditor.ImportJsonLinesAsync(item))
        using (await sourceEditor.DeleteAsync("/api/v1/articles/quay-witness-named"))
        using (var purge = await sourceAdmin.DeleteAsync("/api/v1/articles/quay-witness-named?permanent=true"))
        {
            Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        }

        var moveDir = Path.Combine(_folder.Path, "purged-move");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, moveDir);
        }

        using var target = new EditorialFactory();
        var report = await target.ImportAsync(moveDir);
        var again = await target.ImportAsync(moveDir);
        using var fed = await (await target.TokenClientAsync(Roles.Editor)).ImportJsonLinesAsync(item);

        Assert.Equal(1, report.KeptOf("keys of stories deleted for good"));
        Assert.Equal(0, again.KeptOf("keys of stories deleted for good"));
        Assert.Equal(1, (await fed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("withheld").GetInt32());
        Assert.False(await target.WithDbAsync(db => db.Articles.AnyAsync(a => a.Title == "Quay witness named")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AnExport_WritesAccountsAndSecretsOnlyWhenAskedForEverything_AndThenReadableByItsOwnerOnly()
    {
        var plain = Path.Combine(_folder.Path, "plain");
        var everything = Path.Combine(_folder.Path, "everything");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var exporter = scope.ServiceProvider.GetRequiredService<ExportService>();
            await exporter.ExportAsync(ImportFormat.JsonLines, plain);
            await exporter.ExportAsync(ImportFormat.JsonLines, everything, everythingSealedWith: new MoveSeal(Passphrase));
        }

        Assert.Equal(["aliases.jsonl", "articles.jsonl", "purged.jsonl"], Directory.GetFiles(plain).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(everything, StoreMove.AccountsFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(everything, StoreMove.WebhooksFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(everything, StoreMove.AuditFile)));
        // Drafts and unpublished stories are in every JSON Lines export: it is as private as the store.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(plain, "articles.jsonl")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(plain, StoreMove.AliasesFile)));
    }

    [Fact]
    public async Task LinesTheStoreCannotKeep_AreNamedByFileAndLine_AndCostNothingElse()
    {
        var hash = new PasswordHasher<PortalUser>().HashPassword(null!, EditorialFactory.Password);
        var email = $"moved-{Guid.NewGuid():N}@example.org";
        var folder = Path.Combine(_folder.Path, "bad");
        _folder.Write("bad/articles.jsonl", """
            {"title":"Tern colony counted","publishedOn":"2026-02-01","body":"Counted.","slug":"tern-colony-counted"}
            """);
        _folder.Write("bad/accounts.jsonl", $$"""
            {"email":"{{email}}","userName":"{{email}}","emailConfirmed":true,"passwordHash":"{{hash}}","lockoutEnabled":true,"lockoutEnd":null,"accessFailedCount":0,"createdAtUtc":"2026-01-01T00:00:00Z","roles":["Editor"]}
            {"email":"owner@example.org","userName":"owner@example.org","emailConfirmed":true,"passwordHash":"{{hash}}","lockoutEnabled":true,"lockoutEnd":null,"accessFailedCount":0,"createdAtUtc":"2026-01-01T00:00:00Z","roles":["Owner"]}
            {"email":
            {"email":"huge.token@example.org","userName":"huge.token@example.org","emailConfirmed":true,"passwordHash":"{{hash}}","lockoutEnabled":true,"lockoutEnd":null,"accessFailedCount":0,"createdAtUtc":"2026-01-01T00:00:00Z","roles":["Editor"],"twoFactorEnabled":true,"tokens":[{"loginProvider":"[AspNetUserStore]","name":"AuthenticatorKey","value":"{{new string('A', 5000)}}"}]}
            {"email":"bad.passkey@example.org","userName":"bad.passkey@example.org","emailConfirmed":true,"passwordHash":"{{hash}}","lockoutEnabled":true,"lockoutEnd":null,"accessFailedCount":0,"createdAtUtc":"2026-01-01T00:00:00Z","roles":["Editor"],"passkeys":[{"credentialId":"","data":{"publicKey":"AQID","name":"Phone","createdAt":"2026-01-01T00:00:00Z","signCount":0,"transports":[],"isUserVerified":true,"isBackupEligible":false,"isBackedUp":false,"attestationObject":"","clientDataJson":""} }]}
            """);
        _folder.Write("bad/api-tokens.jsonl", $$"""
            {"email":"nobody@example.org","name":"orphan","hash":"{{new string('a', 64)}}","prefix":"np_orphan","createdAtUtc":"2026-01-01T00:00:00Z","lastUsedAtUtc":null,"revokedAtUtc":null,"expiresAtUtc":null}
            {"email":"{{email}}","name":"short","hash":"abc","prefix":"np_short","createdAtUtc":"2026-01-01T00:00:00Z","lastUsedAtUtc":null,"revokedAtUtc":null,"expiresAtUtc":null}
            """);
        _folder.Write("bad/webhooks.jsonl", $$"""
            {"url":"javascript:alert(1)","secret":"{{HookSecret}}","active":true,"createdBy":"admin","createdAtUtc":"2026-01-01T00:00:00Z"}
            {"url":"https://hooks.example.org/protected","secret":"protected:CfDJ8AAAAAAAAAAAAAAAAAAAAAAA","active":true,"createdBy":"admin","createdAtUtc":"2026-01-01T00:00:00Z"}
            """);
        var snapshot = """{"title":"Tern colony counted","dateline":null,"body":"Counted.","publishedOn":"2026-02-01","documentDate":null,"language":"en","site":null,"originalUrl":null,"categories":[],"sources":[],"status":"Published","publishAtUtc":null,"correctionNote":null}""";
        _folder.Write("bad/revisions.jsonl", $$"""
            {"slug":"tern-colony-counted","number":1,"createdAtUtc":"2026-02-01T00:00:00Z","author":"{{email}}","action":"created","snapshot":{{snapshot}}}
            {"slug":"no-such-story","number":1,"createdAtUtc":"2026-02-01T00:00:00Z","author":"{{email}}","action":"created","snapshot":{{snapshot}}}
            """);
        string File(string name) => Path.Combine(folder, name);

        var report = await factory.ImportAsync(folder);
        using var signedIn = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);

        Assert.Equal((1, 0), (report.Imported, report.RejectedFiles.Count));
        Assert.True((1, 0, 0, 1) == (report.KeptOf("accounts"), report.KeptOf("API tokens"), report.KeptOf("webhooks"), report.KeptOf("revisions")), report.ToString());
        Assert.Equal((1, 0, 0, 1), (report.KeptOf("accounts"), report.KeptOf("API tokens"), report.KeptOf("webhooks"), report.KeptOf("revisions")));
        Assert.Equal(
            [$"{File("accounts.jsonl")}:3: not an account: a line is {{\"email\": …, \"passwordHash\": …, \"roles\": [...], …}}",
             $"{File("accounts.jsonl")}:2: the role 'Owner' is not Admin or Editor, so the account 'owner@example.org' was not kept",
             $"{File("accounts.jsonl")}:4: the account 'huge.token@example.org' was not kept: one of its sign-in tokens is not one the site makes (a name of 1 to 128 characters, a value of at most 4,000)",
             $"{File("accounts.jsonl")}:5: the account 'bad.passkey@example.org' was not kept: one of its passkeys is not one the site makes (an id of 1 to 1,024 bytes, a public key of at most 4,000, a name of at most 60 characters)",
             $"{File("api-tokens.jsonl")}:1: the account 'nobody@example.org' is not in the store, so its token 'orphan' was not kept",
             $"{File("api-tokens.jsonl")}:2: the token 'short' has no SHA-256 hash in lower-case hex or a prefix over 16 characters, so it was not kept",
             $"{File("webhooks.jsonl")}:1: the webhook 'javascript:alert(1)' was not kept: Webhooks go to http or https addresses only, such as https://example.org/newsportal-hook.",
             $"{File("webhooks.jsonl")}:2: the webhook 'https://hooks.example.org/protected' has a secret encrypted with another site's keys, which the site it came from could not read either, so it was not kept: add the webhook again and give its receiver the new secret",
             $"{File("revisions.jsonl")}:2: no story has the address 'no-such-story', so its revision 1 was not kept"],
            report.Problems.Select(p => p.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }
}
