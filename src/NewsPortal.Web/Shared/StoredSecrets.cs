using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace NewsPortal.Web.Shared;

/// <summary>
/// Secrets the store keeps that the site must read back (it cannot hash them): encrypted with the site's
/// data-protection keys, which live outside the store (beside it in <c>App_Data/keys</c>, or in Redis), so that a copy
/// of the store alone (a backup, a leaked file) does not give them away. A value stored as it is, by an earlier
/// version, still reads, and is encrypted at the next start.
/// </summary>
public abstract class StoredSecrets(IDataProtectionProvider protection, string purpose, ILogger logger)
{
    private const string Marker = "protected:";

    private readonly IDataProtector _protector = protection.CreateProtector(purpose);

    /// <summary>What the log calls one value ("An authenticator key") when it cannot be read…</summary>
    protected abstract string Name { get; }

    /// <summary>…and what its owner can do then.</summary>
    protected abstract string Remedy { get; }

    /// <summary>The value as stored; one already protected is kept as it is.</summary>
    public string? Protect(string? value) => value is null || IsProtected(value) ? value : Marker + _protector.Protect(value);

    /// <summary>Whether <paramref name="stored"/> is in the form <see cref="Protect"/> gives.</summary>
    public static bool IsProtected(string stored) => stored.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>
    /// The value as the site uses it; one stored as it is is returned as it is. Null, with a warning, when this site's
    /// keys cannot read it (a store restored without <c>App_Data/keys</c>).
    /// </summary>
    public string? Unprotect(string? stored)
    {
        try
        {
            return Read(stored);
        }
        catch (CryptographicException ex)
        {
            logger.LogWarning(ex, "{Secret} cannot be read with this site's data-protection keys (was the store moved without App_Data/keys?); {Remedy}", Name, Remedy);
            return null;
        }
    }

    /// <summary>Whether this site's keys read <paramref name="stored"/> (a value stored as it is reads).</summary>
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

    private string? Read(string? stored) => stored is null || !IsProtected(stored) ? stored : _protector.Unprotect(stored[Marker.Length..]);
}
