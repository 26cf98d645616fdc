using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using NewsPortal.Web.Data;
using StackExchange.Redis;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Each passkey challenge signs in once. Identity keeps a challenge in the browser's cookie for five minutes and ends the
/// cookie when it is answered, but a copy of that cookie and the answer (from a proxy's log, say) would sign in again
/// within the five minutes with a passkey whose count of uses stays 0, as many platform passkeys' does. Challenges
/// answered are remembered for longer than one lives: in Redis when nodes share it, so that no node takes a copy; on
/// this node otherwise (and while Redis is away).
/// </summary>
public sealed class PasskeyChallenges(StoreSettings store, TimeProvider clock)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>
    /// Marks the challenge that <paramref name="credentialJson"/> (an answer Identity has checked) signed as used; false
    /// when it was used before, or the answer names none.
    /// </summary>
    public async Task<bool> TryUseAsync(string credentialJson)
    {
        if (ChallengeOf(credentialJson) is not { } challenge)
        {
            return false;
        }

        if (store.Redis is { } redis)
        {
            try
            {
                return await redis.Value.GetDatabase().StringSetAsync($"{store.RedisPrefix}passkey-challenge:{challenge}", 1, Remembered, When.NotExists);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis away: this node's own memory still refuses a copy sent here.
            }
        }

        // As many as passkey sign-ins in the last ten minutes: the old ones go as each new one comes.
        var now = clock.GetUtcNow();
        foreach (var (key, until) in _used)
        {
            if (until <= now)
            {
                _used.TryRemove(key, out _);
            }
        }

        return _used.TryAdd(challenge, now + Remembered);
    }

    /// <summary>The challenge in the answer's client data (<c>response.clientDataJSON</c>, base64url JSON), as the browser wrote it.</summary>
    private static string? ChallengeOf(string credentialJson)
    {
        try
        {
            using var credential = JsonDocument.Parse(credentialJson);
            if (credential.RootElement.ValueKind != JsonValueKind.Object
                || !credential.RootElement.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object
                || !response.TryGetProperty("clientDataJSON", out var data) || data.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            using var client = JsonDocument.Parse(Base64Url.DecodeFromChars(data.GetString()));
            return client.RootElement.ValueKind == JsonValueKind.Object && client.RootElement.TryGetProperty("challenge", out var challenge)
                && challenge.ValueKind == JsonValueKind.String && challenge.GetString() is { Length: > 0 and <= 1024 } text ? text : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }
}
