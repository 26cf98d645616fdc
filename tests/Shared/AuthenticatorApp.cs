using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace NewsPortal.Tests.Shared;

/// <summary>
/// What an authenticator app does with the key a site gives it (RFC 6238: HMAC-SHA1 over 30-second steps, six digits),
/// written from the RFC rather than taken from the site, so the tests check the site against the standard.
/// </summary>
internal static class AuthenticatorApp
{
    /// <summary>The code the app shows for <paramref name="key"/> (base32, spaces and case aside), <paramref name="stepsAhead"/> steps from now.</summary>
    public static string Code(string key, int stepsAhead = 0)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 + stepsAhead);
        var hash = HMACSHA1.HashData(Base32(key), counter);
        var offset = hash[^1] & 0x0F;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF) % 1_000_000;
        return value.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>A six-digit code that is not the app's now.</summary>
    public static string WrongCode(string key) => Code(key) == "123456" ? "654321" : "123456";

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant().TrimEnd('='))
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
