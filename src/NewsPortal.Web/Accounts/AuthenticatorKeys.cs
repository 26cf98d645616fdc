using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Accounts' authenticator keys as the store keeps them: encrypted with the site's data-protection keys, which live
/// outside the store (beside it in <c>App_Data/keys</c>, or in Redis), so that a copy of the store alone (a backup, a
/// leaked file) cannot make an account's codes. Unlike recovery codes they cannot be hashed: the site works the
/// codes out from them.
/// </summary>
public sealed class AuthenticatorKeys(IDataProtectionProvider protection, ILogger<AuthenticatorKeys> logger)
{
    /// <summary>The name Identity's store keeps an account's authenticator key under, among its tokens.</summary>
    public const string TokenName = "AuthenticatorKey";

    private const string Marker = "protected:";

    private readonly IDataProtector _protector = protection.CreateProtector("NewsPortal.Accounts.AuthenticatorKeys");

    /// <summary>The key as stored; one already protected is kept as it is.</summary>
    public string? Protect(string? key) => key is null || key.StartsWith(Marker, StringComparison.Ordinal) ? key : Marker + _protector.Protect(key);

    /// <summary>
    /// The key as the app holds it; a key stored as it is (by an earlier version) is returned as it is. Null, with a
    /// warning, when this site's keys cannot read it (a store restored without <c>App_Data/keys</c>): the account then
    /// signs in with a recovery code, or an admin turns its second step off.
    /// </summary>
    public string? Unprotect(string? stored)
    {
        if (stored is null || !stored.StartsWith(Marker, StringComparison.Ordinal))
        {
            return stored;
        }

        try
        {
            return _protector.Unprotect(stored[Marker.Length..]);
        }
        catch (CryptographicException ex)
        {
            logger.LogWarning(ex, "An authenticator key cannot be read with this site's data-protection keys (was the store moved without App_Data/keys?); its account can sign in with a recovery code");
            return null;
        }
    }

    /// <summary>Protects whatever authenticator keys are still stored as they are, as a store kept them before.</summary>
    public async Task<int> ProtectStoredAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        // One per account with an app set up: a newsroom's accounts, not its stories.
        var stored = await db.UserTokens.Where(t => t.LoginProvider == PortalUserStore.OwnTokens && t.Name == TokenName).ToListAsync(cancellationToken);
        var plain = stored.Where(t => t.Value is not null && !t.Value.StartsWith(Marker, StringComparison.Ordinal)).ToList();
        foreach (var token in plain)
        {
            token.Value = Protect(token.Value);
        }

        await db.SaveChangesAsync(cancellationToken);
        return plain.Count;
    }
}
