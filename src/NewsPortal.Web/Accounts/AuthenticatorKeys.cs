using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

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
        try
        {
            return Read(stored);
        }
        catch (CryptographicException ex)
        {
            logger.LogWarning(ex, "An authenticator key cannot be read with this site's data-protection keys (was the store moved without App_Data/keys?); its account can sign in with a recovery code");
            return null;
        }
    }

    /// <summary>Whether this site's keys read <paramref name="stored"/> (a key stored as it is reads).</summary>
    public bool CanRead(string? stored)
    {
        try
        {
            Read(stored);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private string? Read(string? stored)
        => stored is null || !stored.StartsWith(Marker, StringComparison.Ordinal) ? stored : _protector.Unprotect(stored[Marker.Length..]);
}
