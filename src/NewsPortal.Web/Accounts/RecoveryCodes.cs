using System.Security.Cryptography;
using System.Text;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// An account's recovery codes as the store keeps them: each a salted, slow hash, never as typed, so that a copy of
/// the store (a backup, an export, a leaked file) gives no one a way past the second step. Identity keeps them in
/// one token, separated by semicolons; so do these, so that Identity still counts them.
/// </summary>
public static class RecoveryCodes
{
    /// <summary>The name Identity's store keeps them under, among an account's tokens.</summary>
    public const string TokenName = "RecoveryCodes";

    private const string Marker = "pbkdf2-sha256$";

    // A code has 47 bits (ten of 26 characters); this many rounds make trying them all take years, while a sign-in pays
    // for one hash and setting up ten codes for ten.
    private const int Rounds = 50_000, SaltBytes = 16, HashBytes = 32;

    /// <summary>The codes as stored: those not yet hashed hashed under one new salt, those already hashed kept.</summary>
    public static string Hashed(IEnumerable<string> codes)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return string.Join(';', codes.Select(code => IsHashed(code) ? code
            : $"{Marker}{Rounds}${Convert.ToBase64String(salt)}${Convert.ToBase64String(Hash(code, salt, Rounds))}"));
    }

    /// <summary>
    /// Whether <paramref name="code"/> is one of the stored codes; if so, <paramref name="left"/> is what is stored
    /// without it. Codes stored as typed (before they were hashed) are still taken once, and hashed in what is left.
    /// </summary>
    public static bool TryRedeem(string? stored, string code, out string left)
    {
        var entries = (stored ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        var hashes = new Dictionary<(int, string), byte[]>();
        var index = entries.FindIndex(entry => Matches(entry, code, hashes));
        if (index < 0)
        {
            left = stored ?? "";
            return false;
        }

        entries.RemoveAt(index);
        left = Hashed(entries);
        return true;
    }

    /// <summary>The codes as stored, with any an earlier version stored as typed hashed; as they are when none was.</summary>
    public static string? HashedIfTyped(string? stored)
    {
        var codes = (stored ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        return codes.All(IsHashed) ? stored : Hashed(codes);
    }

    private static bool IsHashed(string entry) => entry.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>Whether a stored entry is <paramref name="code"/>; <paramref name="hashes"/> keeps the code's hash under each salt met.</summary>
    private static bool Matches(string entry, string code, Dictionary<(int, string), byte[]> hashes)
    {
        if (!IsHashed(entry))
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(entry), Encoding.UTF8.GetBytes(code));
        }

        var parts = entry[Marker.Length..].Split('$');
        if (parts is not [var roundsText, var saltText, var hashText] || !int.TryParse(roundsText, System.Globalization.CultureInfo.InvariantCulture, out var rounds) || rounds is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            if (!hashes.TryGetValue((rounds, saltText), out var hash))
            {
                hash = hashes[(rounds, saltText)] = Hash(code, Convert.FromBase64String(saltText), rounds);
            }

            return CryptographicOperations.FixedTimeEquals(hash, Convert.FromBase64String(hashText));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Hash(string code, byte[] salt, int rounds)
        => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, rounds, HashAlgorithmName.SHA256, HashBytes);
}
