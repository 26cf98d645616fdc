using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;
using NewsPortal.Web.Api;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Import;

/// <summary>
/// An account as a store move carries it: its password hash and lockout as they were, its roles, its two-step
/// sign-in (on or off, with the tokens Identity keeps for it: the app's key and the recovery codes left) and its
/// passkeys' public keys with the account's id (each passkey holds it as its user handle, so the account keeps it), so
/// a move neither locks its editors out nor quietly lets a password alone in again. Exports before two-step sign-in
/// lack the last four, and read as off and none, with a new id.
/// </summary>
public sealed record AccountRecord(
    string Email, string? UserName, bool EmailConfirmed, string? PasswordHash, bool LockoutEnabled, DateTimeOffset? LockoutEnd,
    int AccessFailedCount, DateTime CreatedAtUtc, IReadOnlyList<string> Roles, bool TwoFactorEnabled = false,
    IReadOnlyList<AccountTokenRecord>? Tokens = null, IReadOnlyList<AccountPasskeyRecord>? Passkeys = null, string? Id = null);

/// <summary>A passkey of an account's: its credential's id and what Identity keeps of it (public key, name, counter, flags).</summary>
public sealed record AccountPasskeyRecord(byte[] CredentialId, IdentityPasskeyData Data);

/// <summary>A value Identity keeps for an account by provider and name (the authenticator key, recovery codes).</summary>
public sealed record AccountTokenRecord(string LoginProvider, string Name, string? Value);

/// <summary>An API token as a store move carries it: its hash (the token itself was never stored) and its owner's email.</summary>
public sealed record ApiTokenRecord(
    string Email, string Name, string Hash, string Prefix, DateTime CreatedAtUtc, DateTime? LastUsedAtUtc, DateTime? RevokedAtUtc, DateTime? ExpiresAtUtc);

/// <summary>A webhook subscriber with the secret its deliveries are signed with, so the receiver need not change it.</summary>
public sealed record WebhookRecord(string Url, string Secret, bool Active, string CreatedBy, DateTime CreatedAtUtc);

/// <summary>One revision of the story at <see cref="Slug"/>, with its number and fields as they were saved.</summary>
public sealed record RevisionRecord(string Slug, int Number, DateTime CreatedAtUtc, string Author, string Action, ArticleSnapshot Snapshot);

/// <summary>One entry of the audit log.</summary>
public sealed record AuditRecord(DateTime AtUtc, string User, string Action, string Subject, string? Details);

/// <summary>The import keys of a story an admin deleted for good (<see cref="PurgedStory"/>): hashes, no text.</summary>
public sealed record PurgedRecord(long? UrlKey, long TitleKey, DateTime PurgedAtUtc);

/// <summary>
/// The files a JSON Lines export writes beside <c>articles.jsonl</c>, and a folder import keeps once that folder's
/// stories are in: always the other names of categories, sources and threads (<see cref="AliasesFile"/>); when asked
/// (<c>export --everything</c>, for a move to another store), the accounts with their password hashes and roles, the
/// API tokens' hashes, the webhooks with their signing secrets, every story's revisions and the audit log. Those
/// hold secrets, so they are written only when asked and readable by their owner only. Each is JSON Lines, a record a
/// line; a line the store cannot keep is named by file and line and costs nothing else, and importing a folder twice
/// keeps nothing twice. Only the command line's folder import reads them: an upload or the API never adds accounts.
/// </summary>
public sealed class StoreMove(
    NewsDbContext db,
    NameAdminService names,
    UserManager<PortalUser> userManager,
    UserService users,
    AuthenticatorKeys authenticatorKeys,
    WebhookSecrets webhookSecrets,
    ILogger<StoreMove> logger)
{
    public const string AliasesFile = "aliases.jsonl";
    public const string AccountsFile = "accounts.jsonl";

    /// <summary>Bounds on an account's tokens from a file: what the site makes is a few dozen characters.</summary>
    private const int MaxTokenKeyLength = 128, MaxTokenValueLength = 4_000, MaxCredentialIdLength = 1_024;
    public const string ApiTokensFile = "api-tokens.jsonl";
    public const string WebhooksFile = "webhooks.jsonl";
    public const string RevisionsFile = "revisions.jsonl";
    public const string AuditFile = "audit.jsonl";
    public const string PurgedFile = "purged.jsonl";

    /// <summary>The files beside the stories, in the order an import keeps them (each after what it refers to).</summary>
    public static readonly IReadOnlyList<string> Files = [AliasesFile, PurgedFile, AccountsFile, ApiTokensFile, WebhooksFile, RevisionsFile, AuditFile];

    private const int BatchSize = 500;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>How these files are written and read: camelCase fields, every one known, statuses by name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Whether <paramref name="file"/> is one of these files at the top of the folder <paramref name="folder"/> (not a story file).</summary>
    public static bool IsBeside(string file, string folder)
        => Files.Contains(Path.GetFileName(file)) && Path.GetDirectoryName(file) == Path.TrimEndingDirectorySeparator(folder);

    /// <summary>
    /// Writes the aliases and the keys of stories deleted for good (so the store they move to does not take them back
    /// from a feed either), and with <paramref name="everythingSealedWith"/> the accounts, tokens, webhooks, revisions and
    /// audit log, the secrets among them sealed with it.
    /// </summary>
    public async Task WriteAsync(string directory, MoveSeal? everythingSealedWith, CancellationToken cancellationToken)
    {
        await WriteAsync(directory, AliasesFile, (await names.AllAliasesAsync(cancellationToken)).ToAsyncEnumerable(), cancellationToken);
        await WriteAsync(directory, PurgedFile, db.PurgedStories.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new PurgedRecord(p.UrlKey, p.TitleKey, p.PurgedAtUtc)).AsAsyncEnumerable(), cancellationToken);
        if (everythingSealedWith is not { } seal)
        {
            return;
        }

        await WriteAsync(directory, AccountsFile, AccountsAsync(seal, cancellationToken), cancellationToken);
        await WriteAsync(directory, ApiTokensFile, db.ApiTokens.AsNoTracking().OrderBy(t => t.Id)
            .Select(t => new ApiTokenRecord(t.User!.Email!, t.Name, t.Hash, t.Prefix, t.CreatedAtUtc, t.LastUsedAtUtc, t.RevokedAtUtc, t.ExpiresAtUtc))
            .AsAsyncEnumerable(), cancellationToken);
        await WriteAsync(directory, WebhooksFile, db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.Id)
            .AsAsyncEnumerable()
            // As the site signs with it (this site's keys are not the other's), sealed; one this site cannot read, as it is
            // stored, which the other site's import refuses by its line.
            .Select(s => new WebhookRecord(s.Url, seal.Seal(webhookSecrets.Unprotect(s.Secret) ?? s.Secret, MoveSeal.WebhookSecret), s.Active, s.CreatedBy, s.CreatedAtUtc)),
            cancellationToken);
        await WriteAsync(directory, RevisionsFile, RevisionsAsync(cancellationToken), cancellationToken);
        await WriteAsync(directory, AuditFile, AuditAsync(cancellationToken), cancellationToken);
    }

    private async Task WriteAsync<T>(string directory, string name, IAsyncEnumerable<T> records, CancellationToken cancellationToken)
    {
        var count = 0;
        await HostFolders.WriteWholeAsync(Path.Combine(directory, name), async file =>
        {
            await foreach (var record in records.WithCancellation(cancellationToken))
            {
                await file.WriteLineAsync(JsonSerializer.Serialize(record, Json).AsMemory(), cancellationToken);
                if (++count % 10_000 == 0)
                {
                    logger.LogInformation("Export progress: {Count} lines written to {File}", count, name);
                }
            }
        }, cancellationToken);

        logger.LogInformation("Exported {Count} lines to {File}", count, name);
    }

    private async IAsyncEnumerable<AccountRecord> AccountsAsync(MoveSeal seal, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Accounts are a newsroom's staff: tens, so read at once.
        var roles = (await db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken)).ToLookup(r => r.UserId, r => r.Name!);
        var tokens = (await db.UserTokens.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(t => t.UserId);
        var passkeys = (await db.Set<IdentityUserPasskey<string>>().AsNoTracking().ToListAsync(cancellationToken)).ToLookup(p => p.UserId);
        foreach (var user in await db.Users.AsNoTracking().OrderBy(u => u.CreatedAtUtc).ThenBy(u => u.Id).ToListAsync(cancellationToken))
        {
            yield return new AccountRecord(user.Email ?? user.UserName ?? "", user.UserName, user.EmailConfirmed, user.PasswordHash, user.LockoutEnabled,
                user.LockoutEnd, user.AccessFailedCount, user.CreatedAtUtc, [.. roles[user.Id].Order(StringComparer.Ordinal)], user.TwoFactorEnabled,
                [.. tokens[user.Id].OrderBy(t => t.LoginProvider, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
                    .Select(t => new AccountTokenRecord(t.LoginProvider, t.Name, PortalUserStore.MovedForm(t.LoginProvider, t.Name, t.Value, authenticatorKeys, seal)))],
                [.. passkeys[user.Id].OrderBy(p => p.Data.CreatedAt).Select(p => new AccountPasskeyRecord(p.CredentialId, p.Data))], user.Id);
        }
    }

    private async IAsyncEnumerable<RevisionRecord> RevisionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Keyset pages by id: a store's revisions can outnumber its stories.
        var after = 0;
        while (true)
        {
            var page = await db.ArticleRevisions.AsNoTracking().Where(r => r.Id > after).OrderBy(r => r.Id).Take(BatchSize)
                .Select(r => new { r.Id, r.Article!.Slug, r.Number, r.CreatedAtUtc, r.Author, r.Action, r.Snapshot }).ToListAsync(cancellationToken);
            foreach (var r in page)
            {
                yield return new RevisionRecord(r.Slug, r.Number, r.CreatedAtUtc, r.Author, r.Action, ArticleSnapshot.FromJson(r.Snapshot));
            }

            if (page.Count < BatchSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    private async IAsyncEnumerable<AuditRecord> AuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            var page = await db.AuditLog.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
            foreach (var e in page)
            {
                yield return new AuditRecord(e.AtUtc, e.User, e.Action, e.Subject, e.Details);
            }

            if (page.Count < BatchSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>
    /// Keeps what the files beside a folder's stories hold, in <see cref="Files"/>' order, once the stories are in (a
    /// dry run only checks that each line is a record of its file).
    /// </summary>
    public async Task KeepAsync(ImportReport report, string folder, long maxFileBytes, MoveSeal? seal, CancellationToken cancellationToken)
    {
        await KeepAsync<NameAliasRecord>(report, folder, AliasesFile, "former names", maxFileBytes,
            r => r is { Kind: not null, Name: not null, Target: not null },
            """an alias: a line is {"kind": "category", "source" or "thread", "name": …, "slug": … or null, "target": …}""",
            async batch =>
            {
                var (kept, problems) = await names.RestoreAliasesAsync([.. batch.Select(b => b.Record)], cancellationToken);
                return (kept, [.. problems.Select(p => (batch[p.Entry - 1].Line, p.Problem))]);
            }, cancellationToken);
        await KeepAsync<PurgedRecord>(report, folder, PurgedFile, "keys of stories deleted for good", maxFileBytes,
            r => r.TitleKey != 0, """the keys of a story deleted for good: a line is {"urlKey": … or null, "titleKey": …, "purgedAtUtc": …}""",
            batch => KeepPurgedAsync(batch, cancellationToken), cancellationToken);
        await KeepAsync<AccountRecord>(report, folder, AccountsFile, "accounts", maxFileBytes,
            r => r is { Email: not null, Roles: not null }, """an account: a line is {"email": …, "passwordHash": …, "roles": [...], …}""",
            batch => KeepAccountsAsync(batch, seal, cancellationToken), cancellationToken);
        await KeepAsync<ApiTokenRecord>(report, folder, ApiTokensFile, "API tokens", maxFileBytes,
            r => r is { Email: not null, Name: not null, Hash: not null, Prefix: not null }, """an API token: a line is {"email": …, "name": …, "hash": …, "prefix": …, …}""",
            batch => KeepTokensAsync(batch, cancellationToken), cancellationToken);
        await KeepAsync<WebhookRecord>(report, folder, WebhooksFile, "webhooks", maxFileBytes,
            r => r is { Url: not null, Secret: not null, CreatedBy: not null }, """a webhook: a line is {"url": …, "secret": …, "active": …, "createdBy": …, …}""",
            batch => KeepWebhooksAsync(batch, seal, cancellationToken), cancellationToken);
        await KeepAsync<RevisionRecord>(report, folder, RevisionsFile, "revisions", maxFileBytes,
            r => r is { Slug: not null, Author: not null, Action: not null, Snapshot: { Title: not null, Body: not null, Language: not null } },
            """a revision: a line is {"slug": …, "number": …, "author": …, "action": …, "snapshot": {…}, …}""",
            batch => KeepRevisionsAsync(batch, cancellationToken), cancellationToken);
        await KeepAsync<AuditRecord>(report, folder, AuditFile, "audit entries", maxFileBytes,
            r => r is { User: not null, Action: not null, Subject: not null }, """an audit entry: a line is {"atUtc": …, "user": …, "action": …, "subject": …, "details": …}""",
            batch => KeepAuditAsync(batch, cancellationToken), cancellationToken);
    }

    /// <summary>Reads one file a batch at a time; lines that are not its records are problems, the rest go to <paramref name="keep"/>.</summary>
    private async Task KeepAsync<T>(
        ImportReport report, string folder, string name, string what, long maxFileBytes, Func<T, bool> complete, string shape,
        Func<List<(T Record, int Line)>, Task<(int Kept, List<(int Line, string Problem)> Problems)>> keep, CancellationToken cancellationToken)
        where T : class
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return;
        }

        if (new FileInfo(path).Length > maxFileBytes)
        {
            report.Note(new ImportProblem(path, 1, $"the file is larger than {maxFileBytes:N0} bytes (Import:MaxFileBytes)"));
            return;
        }

        var (batch, number, kept, read) = (new List<(T Record, int Line)>(), 0, 0, 0);
        async Task FlushAsync()
        {
            if (batch.Count == 0 || report.DryRun)
            {
                batch.Clear();
                return;
            }

            var (count, problems) = await keep(batch);
            kept += count;
            foreach (var (line, problem) in problems)
            {
                report.Note(new ImportProblem(path, line, problem));
            }

            batch.Clear();
        }

        try
        {
            await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                T? record = null;
                try
                {
                    record = JsonSerializer.Deserialize<T>(line, Json);
                }
                catch (JsonException)
                {
                }

                if (record is null || !complete(record))
                {
                    report.Note(new ImportProblem(path, number, "not " + shape));
                    continue;
                }

                batch.Add((record, number));
                read++;
                if (batch.Count == BatchSize)
                {
                    await FlushAsync();
                    logger.LogInformation("Import progress: {Read} lines of {File} read, {Kept} {What} kept", read, name, kept, what);
                }
            }

            await FlushAsync();
            logger.LogInformation("Kept {Kept} of {Count} {What} from {File}", kept, read, what, path);
        }
        finally
        {
            // Each batch is committed as it is kept: a file stopped part-way has those in the store, and the report says so.
            report.Keep(what, kept);
        }
    }

    private async Task<(int, List<(int, string)>)> KeepAccountsAsync(List<(AccountRecord Record, int Line)> batch, MoveSeal? seal, CancellationToken cancellationToken)
    {
        var (kept, problems) = (0, new List<(int, string)>());
        await users.EnsureRolesAsync();
        foreach (var (record, line) in batch)
        {
            var email = Text.Line(record.Email);
            if (record.Roles.FirstOrDefault(role => !Roles.All.Contains(role)) is { } unknown)
            {
                problems.Add((line, $"the role '{Text.Line(unknown)}' is not {string.Join(" or ", Roles.All)}, so the account '{email}' was not kept"));
                continue;
            }

            if (await userManager.FindByEmailAsync(email) is not null)
            {
                continue;
            }

            var tokens = (record.Tokens ?? []).DistinctBy(t => (t.LoginProvider, t.Name)).ToList();
            var opened = tokens.Select(t => PortalUserStore.OpenMoved(t.LoginProvider, t.Name, t.Value, seal)).ToList();
            if (opened.FirstOrDefault(o => o.Problem is not null).Problem is { } sealProblem)
            {
                problems.Add((line, $"the account '{email}' was not kept: {sealProblem}"));
                continue;
            }

            tokens = [.. tokens.Zip(opened, (t, o) => t with { Value = o.Value })];
            if (tokens.Any(t => t is not { LoginProvider.Length: > 0 and <= MaxTokenKeyLength, Name.Length: > 0 and <= MaxTokenKeyLength }
                || t.Value?.Length > MaxTokenValueLength))
            {
                problems.Add((line, $"the account '{email}' was not kept: one of its sign-in tokens is not one the site makes (a name of 1 to {MaxTokenKeyLength} characters, a value of at most {MaxTokenValueLength:N0})"));
                continue;
            }

            var passkeys = (record.Passkeys ?? []).DistinctBy(p => Convert.ToBase64String(p.CredentialId ?? [])).ToList();
            if (PasskeysProblem(passkeys) is { } passkeyProblem)
            {
                problems.Add((line, $"the account '{email}' was not kept: {passkeyProblem}"));
                continue;
            }

            List<byte[]> credentialIds = [.. passkeys.Select(p => p.CredentialId)];
            if (await db.Set<IdentityUserPasskey<string>>().AnyAsync(p => credentialIds.Contains(p.CredentialId), cancellationToken))
            {
                problems.Add((line, $"the account '{email}' was not kept: one of its passkeys belongs to another account in this store"));
                continue;
            }

            var id = record.Id is { Length: > 0 and <= MaxTokenKeyLength } given && await userManager.FindByIdAsync(given) is null ? given : null;
            if (id is null && passkeys.Count > 0)
            {
                problems.Add((line, $"the account '{email}' was not kept: its passkeys name it by its id, and this store has another account by that id or none was given"));
                continue;
            }

            var user = new PortalUser
            {
                Id = id ?? Guid.NewGuid().ToString(),
                UserName = Text.Line(record.UserName ?? email),
                Email = email,
                EmailConfirmed = record.EmailConfirmed,
                PasswordHash = record.PasswordHash,
                LockoutEnabled = record.LockoutEnabled,
                LockoutEnd = record.LockoutEnd,
                AccessFailedCount = record.AccessFailedCount,
                CreatedAtUtc = record.CreatedAtUtc,
                // On only with the key its app holds: an account asked for codes nothing can make could never sign in.
                TwoFactorEnabled = record.TwoFactorEnabled && tokens.Any(t => t.Name == AuthenticatorKeys.TokenName),
            };
            var created = await userManager.CreateAsync(user);
            if (!created.Succeeded)
            {
                problems.Add((line, $"the account '{email}' was not kept: {string.Join(" ", created.Errors.Select(e => e.Description))}"));
                continue;
            }

            if (record.Roles.Count > 0)
            {
                await userManager.AddToRolesAsync(user, record.Roles.Distinct());
            }

            foreach (var token in tokens)
            {
                // A move from an earlier version carries recovery codes as typed; this store keeps none so. Authenticator
                // keys travel as the app holds them (the other site's data-protection keys are not this one's).
                var value = PortalUserStore.StoredForm(token.LoginProvider, token.Name, token.Value, authenticatorKeys);
                db.UserTokens.Add(new IdentityUserToken<string> { UserId = user.Id, LoginProvider = token.LoginProvider, Name = token.Name, Value = value });
            }

            foreach (var passkey in passkeys)
            {
                db.Set<IdentityUserPasskey<string>>().Add(new IdentityUserPasskey<string> { UserId = user.Id, CredentialId = passkey.CredentialId, Data = passkey.Data });
            }

            await db.SaveChangesAsync(cancellationToken);

            kept++;
        }

        return (kept, problems);
    }

    /// <summary>What makes an account's passkeys ones the site could not have made, or null: the site's own bounds.</summary>
    private static string? PasskeysProblem(List<AccountPasskeyRecord> passkeys)
    {
        if (passkeys.Count > Passkeys.MaxPerAccount)
        {
            return $"it has {passkeys.Count} passkeys, and an account holds at most {Passkeys.MaxPerAccount}";
        }

        return passkeys.Any(p => p.CredentialId is not { Length: > 0 and <= MaxCredentialIdLength } || p.Data is null
            || p.Data.PublicKey is not { Length: > 0 and <= MaxTokenValueLength } || p.Data.Name?.Length > Passkeys.MaxNameLength
            || p.Data.AttestationObject?.Length > Passkeys.MaxCredentialJsonLength || p.Data.ClientDataJson?.Length > Passkeys.MaxCredentialJsonLength
            || p.Data.Transports?.Length > 10 || p.Data.Transports?.Any(t => t is not { Length: > 0 and <= 32 }) == true)
            ? $"one of its passkeys is not one the site makes (an id of 1 to {MaxCredentialIdLength:N0} bytes, a public key of at most {MaxTokenValueLength:N0}, a name of at most {Passkeys.MaxNameLength} characters)"
            : null;
    }

    private async Task<(int, List<(int, string)>)> KeepTokensAsync(List<(ApiTokenRecord Record, int Line)> batch, CancellationToken cancellationToken)
    {
        var (kept, problems) = (0, new List<(int, string)>());
        List<string?> emails = [.. batch.Select(b => userManager.NormalizeEmail(b.Record.Email)).Distinct()];
        var owners = await db.Users.Where(u => emails.Contains(u.NormalizedEmail)).ToDictionaryAsync(u => u.NormalizedEmail!, u => u.Id, cancellationToken);
        var hashes = batch.Select(b => b.Record.Hash).ToList();
        var stored = (await db.ApiTokens.Where(t => hashes.Contains(t.Hash)).Select(t => t.Hash).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var (record, line) in batch)
        {
            var name = Text.TrimToLength(Text.Line(record.Name), 100);
            if (record.Hash.Length != 64 || !record.Hash.All(char.IsAsciiHexDigitLower) || record.Prefix.Length > 16)
            {
                problems.Add((line, $"the token '{name}' has no SHA-256 hash in lower-case hex or a prefix over 16 characters, so it was not kept"));
            }
            else if (!owners.TryGetValue(userManager.NormalizeEmail(record.Email), out var owner))
            {
                problems.Add((line, $"the account '{Text.Line(record.Email)}' is not in the store, so its token '{name}' was not kept"));
            }
            else if (stored.Add(record.Hash))
            {
                db.ApiTokens.Add(new ApiToken
                {
                    UserId = owner,
                    Name = name,
                    Hash = record.Hash,
                    Prefix = Text.Line(record.Prefix),
                    CreatedAtUtc = record.CreatedAtUtc,
                    LastUsedAtUtc = record.LastUsedAtUtc,
                    RevokedAtUtc = record.RevokedAtUtc,
                    ExpiresAtUtc = record.ExpiresAtUtc,
                });
                kept++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return (kept, problems);
    }

    private async Task<(int, List<(int, string)>)> KeepWebhooksAsync(List<(WebhookRecord Record, int Line)> batch, MoveSeal? seal, CancellationToken cancellationToken)
    {
        var (kept, problems) = (0, new List<(int, string)>());
        var stored = (await db.WebhookSubscriptions.Select(s => s.Url).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var (record, line) in batch)
        {
            var url = record.Url.Trim();
            var (secret, sealProblem) = MoveSeal.Open(seal, record.Secret, MoveSeal.WebhookSecret);
            if ((WebhookService.ProblemWith(url) ?? sealProblem) is { } problem)
            {
                problems.Add((line, $"the webhook '{Text.TrimToLength(Text.Line(url), 200)}' was not kept: {problem}"));
            }
            else if (StoredSecrets.IsProtected(secret!))
            {
                // Written as the exporting site stored it: it could not read it either (a store restored without its keys).
                problems.Add((line, $"the webhook '{url}' has a secret encrypted with another site's keys, which the site it came from could not read either, so it was not kept: add the webhook again and give its receiver the new secret"));
            }
            else if (secret!.Length is < 16 or > 128)
            {
                problems.Add((line, $"the webhook '{url}' has a secret shorter than 16 or longer than 128 characters, so it was not kept"));
            }
            else if (stored.Add(url))
            {
                db.WebhookSubscriptions.Add(new WebhookSubscription
                {
                    Url = url,
                    Secret = webhookSecrets.Protect(secret)!,
                    Active = record.Active,
                    CreatedBy = Text.TrimToLength(Text.Line(record.CreatedBy), 256),
                    CreatedAtUtc = record.CreatedAtUtc,
                });
                kept++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return (kept, problems);
    }

    private async Task<(int, List<(int, string)>)> KeepRevisionsAsync(List<(RevisionRecord Record, int Line)> batch, CancellationToken cancellationToken)
    {
        var (kept, problems) = (0, new List<(int, string)>());
        var slugs = batch.Select(b => b.Record.Slug).Distinct().ToList();
        var articles = await db.Articles.Where(a => slugs.Contains(a.Slug)).ToDictionaryAsync(a => a.Slug, a => a.Id, StringComparer.Ordinal, cancellationToken);
        var ids = articles.Values.ToList();
        var stored = (await db.ArticleRevisions.Where(r => ids.Contains(r.ArticleId)).Select(r => new { r.ArticleId, r.Number }).ToListAsync(cancellationToken))
            .Select(r => (r.ArticleId, r.Number)).ToHashSet();
        foreach (var (record, line) in batch)
        {
            if (!articles.TryGetValue(record.Slug, out var articleId))
            {
                problems.Add((line, $"no story has the address '{Text.TrimToLength(Text.Line(record.Slug), 200)}', so its revision {record.Number} was not kept"));
            }
            else if (record.Number < 1)
            {
                problems.Add((line, $"revision {record.Number} of '{record.Slug}' is not numbered from 1, so it was not kept"));
            }
            else if (stored.Add((articleId, record.Number)))
            {
                db.ArticleRevisions.Add(new ArticleRevision
                {
                    ArticleId = articleId,
                    Number = record.Number,
                    CreatedAtUtc = record.CreatedAtUtc,
                    Author = Text.TrimToLength(Text.Line(record.Author), 256),
                    Action = Text.TrimToLength(Text.Line(record.Action), 200),
                    Snapshot = Clean(record.Snapshot).ToJson(),
                });
                kept++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (kept, problems);
    }

    /// <summary>A snapshot's text under the rule all text that comes in passes: a revision restored from it is a save like any other.</summary>
    private static ArticleSnapshot Clean(ArticleSnapshot s) => s with
    {
        Title = Text.Clean(s.Title),
        Dateline = s.Dateline is null ? null : Text.Clean(s.Dateline),
        Body = Text.Clean(s.Body),
        Language = Text.Clean(s.Language),
        Site = s.Site is null ? null : Text.Clean(s.Site),
        OriginalUrl = s.OriginalUrl is null ? null : Text.Clean(s.OriginalUrl),
        Categories = [.. (s.Categories ?? []).Select(Text.Line)],
        Sources = [.. (s.Sources ?? []).Select(Text.Line)],
        CorrectionNote = s.CorrectionNote is null ? null : Text.Clean(s.CorrectionNote),
        License = s.License is null ? null : Text.Clean(s.License),
        Thread = s.Thread is null ? null : Text.Line(s.Thread),
        ImageUrl = s.ImageUrl is null ? null : Text.Clean(s.ImageUrl),
        ImageAlt = s.ImageAlt is null ? null : Text.Clean(s.ImageAlt),
        Summary = s.Summary is null ? null : Text.Clean(s.Summary),
    };

    private async Task<(int, List<(int, string)>)> KeepAuditAsync(List<(AuditRecord Record, int Line)> batch, CancellationToken cancellationToken)
    {
        // The same entry is known by its time, who and what; times are compared to the microsecond, PostgreSQL's precision.
        var (from, to) = (batch.Min(b => b.Record.AtUtc).ToTheMicrosecond(), batch.Max(b => b.Record.AtUtc));
        var stored = (await db.AuditLog.AsNoTracking().Where(e => e.AtUtc >= from && e.AtUtc <= to)
            .Select(e => new { e.AtUtc, e.User, e.Action, e.Subject }).ToListAsync(cancellationToken))
            .Select(e => (e.AtUtc.ToTheMicrosecond(), e.User, e.Action, e.Subject)).ToHashSet();
        var kept = 0;
        foreach (var (record, _) in batch)
        {
            var entry = new AuditEntry
            {
                AtUtc = record.AtUtc,
                User = Text.TrimToLength(Text.Line(record.User), 256),
                Action = Text.TrimToLength(Text.Line(record.Action), 64),
                Subject = Text.TrimToLength(Text.Line(record.Subject), 400),
                Details = record.Details is null ? null : Text.TrimToLength(Text.Clean(record.Details), 4000),
            };
            if (stored.Add((entry.AtUtc.ToTheMicrosecond(), entry.User, entry.Action, entry.Subject)))
            {
                db.AuditLog.Add(entry);
                kept++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (kept, []);
    }

    private async Task<(int, List<(int, string)>)> KeepPurgedAsync(List<(PurgedRecord Record, int Line)> batch, CancellationToken cancellationToken)
    {
        var titles = batch.Select(b => b.Record.TitleKey).Distinct().ToList();
        var stored = (await db.PurgedStories.AsNoTracking().Where(p => EF.Parameter(titles).Contains(p.TitleKey))
            .Select(p => new { p.UrlKey, p.TitleKey }).ToListAsync(cancellationToken)).Select(p => (p.UrlKey, p.TitleKey)).ToHashSet();
        var kept = 0;
        foreach (var (record, _) in batch)
        {
            if (stored.Add((record.UrlKey, record.TitleKey)))
            {
                db.PurgedStories.Add(new PurgedStory { UrlKey = record.UrlKey, TitleKey = record.TitleKey, PurgedAtUtc = record.PurgedAtUtc });
                kept++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (kept, []);
    }
}
