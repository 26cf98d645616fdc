using System.Threading.RateLimiting;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using StackExchange.Redis;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Sign-in attempts per account (or per known browser), whatever address they come from (the per-address limit is the rate limiter's
/// "login" policy): at most Security:SignInAttemptsPerAccountPerMinute a minute. With Redis the count is shared by
/// every node, so a guesser gains nothing by spreading attempts across them; without it each node counts its own.
/// </summary>
public sealed class SignInAttempts(RateLimits limits, StoreSettings store, TimeProvider clock) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _local = PartitionedRateLimiter.Create<string, string>(partition =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.SignInsPerAccountPerMinute,
            Window = TimeSpan.FromMinutes(1),
        }));

    /// <summary>
    /// Takes one attempt at signing in to <paramref name="email"/> (a password, or a code at the second step); false
    /// when its allowance for this minute is spent. A browser the account knows (<paramref name="device"/>, see
    /// <see cref="KnownDevices"/>) has an allowance of its own instead of the account's: a flood from elsewhere does
    /// not spend it.
    /// </summary>
    public Task<bool> TryAttemptAsync(string email, string? device)
        => TryAsync(device is null ? "account:" + email.ToUpperInvariant() : "device:" + device);

    /// <summary>
    /// Takes one try at the current password from a signed-in account changing its own, with an allowance of its own:
    /// a flood at the sign-in form does not spend it.
    /// </summary>
    public Task<bool> TryPasswordChangeAsync(string userId) => TryAsync("change:" + userId);

    private async Task<bool> TryAsync(string partition)
    {
        if (store.Redis is { } redis)
        {
            try
            {
                // A fixed window per account and minute: the first attempt creates the counter, which expires after its minute.
                var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
                var key = $"{store.RedisPrefix}sign-in:{minute}:{partition}";
                var database = redis.Value.GetDatabase();
                var count = await database.StringIncrementAsync(key);
                if (count == 1)
                {
                    await database.KeyExpireAsync(key, TimeSpan.FromMinutes(2));
                }

                return count <= limits.SignInsPerAccountPerMinute;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis away: this node's own count still holds the line.
            }
        }

        using var lease = _local.AttemptAcquire(partition);
        return lease.IsAcquired;
    }

    public void Dispose() => _local.Dispose();
}
