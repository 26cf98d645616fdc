using System.Threading.RateLimiting;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Sign-in attempts per account, whatever address they come from (the per-address limit is the rate limiter's
/// "login" policy): at most Security:SignInAttemptsPerAccountPerMinute a minute.
/// </summary>
public sealed class SignInAttempts(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Security:SignInAttemptsPerAccountPerMinute", 10),
            Window = TimeSpan.FromMinutes(1),
        }));

    /// <summary>Takes one attempt at <paramref name="email"/>; false when its allowance for this minute is spent.</summary>
    public bool TryAttempt(string email)
    {
        using var lease = _limiter.AttemptAcquire(email.ToUpperInvariant());
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
