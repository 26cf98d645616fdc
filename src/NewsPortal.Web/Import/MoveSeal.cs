using System.Security.Cryptography;
using System.Text;

namespace NewsPortal.Web.Import;

/// <summary>
/// The secrets a store move carries that the other site must read back, accounts' authenticator keys and webhooks'
/// signing secrets, sealed with a passphrase the operator gives at the export and again at the import. A move's folder
/// sits on disks and travels between machines; whoever finds it must not get keys that make an editor's codes, or a
/// secret that signs deliveries a receiver would take for the site's. (Password hashes, recovery codes and API tokens
/// travel as hashes already.) AES-GCM under a key drawn from the passphrase with PBKDF2 (SHA-256,
/// <see cref="Iterations"/> rounds) and a new salt for each export; what a value is for is bound in, so a sealed key
/// cannot pass for a webhook's secret.
/// </summary>
public sealed class MoveSeal(string passphrase)
{
    /// <summary>Where the commands look for the passphrase before asking for it.</summary>
    public const string PassphraseVariable = "NEWSPORTAL_MOVE_PASSPHRASE";

    public const int MinPassphraseLength = 12;

    public const string AuthenticatorKey = "authenticator key", WebhookSecret = "signing secret";

    private const string Marker = "sealed:";
    private const int Iterations = 600_000, SaltBytes = 16, NonceBytes = 12, TagBytes = 16, KeyBytes = 32;

    /// <summary>
    /// Salts (exports) one import draws keys for: an export has one, so this allows folders of several moves while a
    /// file written by hand with a new salt on every line cannot spend a fraction of a second of CPU on each.
    /// </summary>
    private const int MaxSalts = 16;

    /// <summary>Keys by salt: an export seals with one salt, so an import draws one key (a fraction of a second) for all.</summary>
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    private byte[]? _exportSalt;

    public static bool IsSealed(string? value) => value?.StartsWith(Marker, StringComparison.Ordinal) == true;

    public string Seal(string value, string use)
    {
        _exportSalt ??= RandomNumberGenerator.GetBytes(SaltBytes);
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[SaltBytes + NonceBytes + TagBytes + plain.Length];
        _exportSalt.CopyTo(sealedBytes, 0);
        var nonce = sealedBytes.AsSpan(SaltBytes, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(KeyFor(_exportSalt)!, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(SaltBytes + NonceBytes + TagBytes), sealedBytes.AsSpan(SaltBytes + NonceBytes, TagBytes), Encoding.UTF8.GetBytes(use));
        return Marker + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>
    /// A line's value as the site uses it, or what keeps it from being read: one not sealed (an earlier version's
    /// export) is taken as it is; a sealed one needs this move's passphrase.
    /// </summary>
    public static (string? Value, string? Problem) Open(MoveSeal? seal, string? value, string use)
    {
        if (!IsSealed(value))
        {
            return (value, null);
        }

        if (seal is null)
        {
            return (null, $"its {use} is sealed with the passphrase it was exported with: give it in {PassphraseVariable} (or when asked) and import the folder again");
        }

        return seal.Unseal(value!, use) is { } plain
            ? (plain, null)
            : (null, $"its {use} does not open with the passphrase given (not the one it was exported with, or the line was changed)");
    }

    private string? Unseal(string value, string use)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(value[Marker.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < SaltBytes + NonceBytes + TagBytes)
        {
            return null;
        }

        if (KeyFor(sealedBytes[..SaltBytes]) is not { } key)
        {
            return null;
        }

        var plain = new byte[sealedBytes.Length - SaltBytes - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(SaltBytes, NonceBytes), sealedBytes.AsSpan(SaltBytes + NonceBytes + TagBytes),
                sealedBytes.AsSpan(SaltBytes + NonceBytes, TagBytes), plain, Encoding.UTF8.GetBytes(use));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }

    private byte[]? KeyFor(byte[] salt)
    {
        var id = Convert.ToBase64String(salt);
        if (!_keys.TryGetValue(id, out var key))
        {
            if (_keys.Count == MaxSalts)
            {
                return null;
            }

            key = Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, Iterations, HashAlgorithmName.SHA256, KeyBytes);
            _keys[id] = key;
        }

        return key;
    }
}
