using System.Buffers.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Accounts;

/// <summary>A passkey as its account's page lists it.</summary>
public sealed record PasskeyRow(string Id, string Name, DateTimeOffset AddedAt, bool Synced);

/// <summary>
/// Passkeys (WebAuthn): a key pair on the editor's device or in their password manager, whose public half the account
/// keeps. Signing in with one asks for no password and no code, and cannot be phished: the browser gives the key only to
/// this site's own address. Identity's passkey handler checks each ceremony; this class keeps each account's list
/// bounded and named, and its changes under the account's lock.
/// </summary>
public sealed class Passkeys(
    NewsDbContext db, UserManager<PortalUser> users, SignInManager<PortalUser> signIn, PasskeyChallenges challenges, AuditLog audit, ILogger<Passkeys> logger)
{
    /// <summary>More than anyone needs (a phone, a laptop, two security keys, a password manager), and a bound on what a sign-in reads.</summary>
    public const int MaxPerAccount = 10;

    public const int MaxNameLength = 60;

    /// <summary>The browser's JSON of a credential: a few kilobytes at most (its attestation may carry a certificate chain).</summary>
    public const int MaxCredentialJsonLength = 64 * 1024;

    public static readonly string TooMany = $"An account holds at most {MaxPerAccount} passkeys: remove one you no longer use first.";

    public const string NotAccepted = "The browser's passkey was not accepted: it may have been cancelled, have taken too long, or be for another site. Try again.";

    public async Task<IReadOnlyList<PasskeyRow>> OfAsync(PortalUser user)
        => [.. (await users.GetPasskeysAsync(user))
            .OrderBy(p => p.CreatedAt)
            .Select(p => new PasskeyRow(Base64Url.EncodeToString(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt, p.IsBackedUp))];

    /// <summary>
    /// What the browser needs to make a passkey for this account (<c>navigator.credentials.create</c>), as JSON, the
    /// challenge kept in a short-lived cookie; null when the account holds as many passkeys as it may (checked again
    /// under the account's lock when the passkey comes back).
    /// </summary>
    public async Task<string?> CreationOptionsAsync(PortalUser user)
    {
        if (await db.Set<IdentityUserPasskey<string>>().CountAsync(p => p.UserId == user.Id) >= MaxPerAccount)
        {
            return null;
        }

        var name = user.Email ?? user.UserName ?? user.Id;
        return await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = name, DisplayName = name });
    }

    /// <summary>Checks the browser's new passkey against the challenge and keeps it under the given name; returns the problems, or none.</summary>
    public async Task<IReadOnlyList<string>> AddAsync(string userId, string? credentialJson, string? name, CancellationToken cancellationToken)
    {
        var label = Text.Clean(name ?? "").Trim();
        if (label.Length > MaxNameLength)
        {
            return [$"A passkey's name is at most {MaxNameLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(credentialJson) || credentialJson.Length > MaxCredentialJsonLength)
        {
            return [NotAccepted];
        }

        // Checked before the transaction: it reads the challenge's cookie and ends it, and may take the account's passkeys.
        var attestation = await Underway(() => signIn.PerformPasskeyAttestationAsync(credentialJson));
        if (attestation is not { Succeeded: true })
        {
            logger.LogInformation("A new passkey was refused: {Reason}", attestation?.Failure?.Message ?? NoChallenge);
            return [NotAccepted];
        }

        if (attestation.UserEntity.Id != userId)
        {
            return [NotAccepted];
        }

        return await TwoStepSignIn.InAccountTransactionAsync(db, users, userId, async user =>
        {
            var held = await users.GetPasskeysAsync(user);
            if (held.Count >= MaxPerAccount)
            {
                return [TooMany];
            }

            var passkey = attestation.Passkey;
            passkey.Name = label.Length > 0 ? label : $"Passkey {held.Count + 1}";
            if (TwoStepSignIn.Problems(await users.AddOrUpdatePasskeyAsync(user, passkey)) is { Count: > 0 } failed)
            {
                return failed;
            }

            audit.Add(user.Email ?? user.Id, "add a passkey", "account", passkey.Name);
            return [];
        }, cancellationToken);
    }

    /// <summary>Removes one of the account's passkeys (a lost or sold device); returns the problems, or none.</summary>
    public Task<IReadOnlyList<string>> RemoveAsync(string userId, string? id, CancellationToken cancellationToken)
        => TwoStepSignIn.InAccountTransactionAsync(db, users, userId, async user =>
        {
            if (CredentialId(id) is not { } credentialId || await users.GetPasskeyAsync(user, credentialId) is not { } passkey)
            {
                return ["That passkey is not one of this account's: it may have been removed already."];
            }

            if (TwoStepSignIn.Problems(await users.RemovePasskeyAsync(user, credentialId)) is { Count: > 0 } failed)
            {
                return failed;
            }

            audit.Add(user.Email ?? user.Id, "remove a passkey", "account", passkey.Name);
            return [];
        }, cancellationToken);

    /// <summary>
    /// An admin's removal of every passkey of another account (a lost or stolen device): the account's sessions end too,
    /// since one may have been opened with such a key.
    /// </summary>
    public Task<IReadOnlyList<string>> RemoveAllAsync(string userId, string actor, CancellationToken cancellationToken)
        => TwoStepSignIn.InAccountTransactionAsync(db, users, userId, async user =>
        {
            var held = await users.GetPasskeysAsync(user);
            if (held.Count == 0)
            {
                return ["That account has no passkey."];
            }

            foreach (var passkey in held)
            {
                if (TwoStepSignIn.Problems(await users.RemovePasskeyAsync(user, passkey.CredentialId)) is { Count: > 0 } failed)
                {
                    return failed;
                }
            }

            if (TwoStepSignIn.Problems(await users.UpdateSecurityStampAsync(user)) is { Count: > 0 } notEnded)
            {
                return notEnded;
            }

            audit.Add(actor, "remove passkeys", user.Email ?? user.Id, $"{held.Count} removed");
            return [];
        }, cancellationToken);

    /// <summary>
    /// What the browser needs to offer this site's passkeys (<c>navigator.credentials.get</c>): for whichever account the
    /// reader picks, or, at the second step after a password, that account's own.
    /// </summary>
    public Task<string> RequestOptionsAsync(PortalUser? user = null) => signIn.MakePasskeyRequestOptionsAsync(user);

    /// <summary>
    /// The account whose passkey signed the challenge, with the passkey's count of uses brought up to date; null when the
    /// credential is not one this site holds, or does not answer this browser's challenge.
    /// </summary>
    public async Task<(PortalUser User, string Name)?> CheckAsync(string? credentialJson)
    {
        if (string.IsNullOrWhiteSpace(credentialJson) || credentialJson.Length > MaxCredentialJsonLength)
        {
            return null;
        }

        var assertion = await Underway(() => signIn.PerformPasskeyAssertionAsync(credentialJson));
        if (assertion is not { Succeeded: true })
        {
            logger.LogInformation("A passkey sign-in was refused: {Reason}", assertion?.Failure?.Message ?? NoChallenge);
            return null;
        }

        if (!await challenges.TryUseAsync(credentialJson))
        {
            logger.LogWarning("A passkey sign-in was refused: its challenge was answered before (a copy of an answer and its cookie sent again)");
            return null;
        }

        // The signature counter the authenticator reports moves on with each use (a copied key would fall behind).
        await users.AddOrUpdatePasskeyAsync(assertion.User, assertion.Passkey);
        return (assertion.User, assertion.Passkey.Name ?? "Passkey");
    }

    private const string NoChallenge = "no challenge of this browser's is waiting (none was asked for, or it is over five minutes old)";

    /// <summary>The ceremony's outcome; null when this browser has no challenge waiting, which Identity reports by throwing.</summary>
    private static async Task<T?> Underway<T>(Func<Task<T>> ceremony) where T : class
    {
        try
        {
            return await ceremony();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[]? CredentialId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 2048)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// The site's address is the passkeys' relying party when Portal:PublicBaseUrl names it (behind a proxy the request's own
/// host may be an internal one), and a passkey is accepted only from a page at that address.
/// </summary>
public sealed class PasskeyOrigin(IOptions<PortalOptions> portal) : IPostConfigureOptions<IdentityPasskeyOptions>
{
    public void PostConfigure(string? name, IdentityPasskeyOptions options)
    {
        if (portal.Value.PublicOrigin is { } origin)
        {
            options.ServerDomain = new Uri(origin).Host;
            options.ValidateOrigin = context => ValueTask.FromResult(!context.CrossOrigin && string.Equals(context.Origin, origin, StringComparison.OrdinalIgnoreCase));
        }
    }
}

/// <summary>Identity's passkeys table, keyed by the credential's id, its data as one JSON column.</summary>
public sealed class PasskeyConfiguration : IEntityTypeConfiguration<IdentityUserPasskey<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserPasskey<string>> builder)
    {
        builder.ToTable("AspNetUserPasskeys");
        builder.HasKey(p => p.CredentialId);
        // WebAuthn bounds a credential id at 1,023 bytes.
        builder.Property(p => p.CredentialId).HasMaxLength(1024);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(p => p.UserId).IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.UserId);
        builder.OwnsOne(p => p.Data).ToJson();
    }
}
