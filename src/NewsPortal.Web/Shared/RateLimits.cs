using System.Globalization;

namespace NewsPortal.Web.Shared;

/// <summary>
/// The rate limits, read and checked once at start-up (Security:…, Api:…): a limit of none, or one that is not a
/// number, would otherwise start the site and fail every request it governs.
/// </summary>
public sealed record RateLimits(int SignInsPerMinute, int SignInsPerAccountPerMinute, int ApiPerMinute, int ApiTokenPerMinute)
{
    /// <summary>High enough that a load benchmark (scripts/bench.sh, scripts/soak.sh) can take a limit out of its way.</summary>
    private const int Most = 1_000_000_000;

    public static RateLimits From(IConfiguration configuration) => new(
        Read(configuration, "Security:SignInAttemptsPerMinute", 10),
        Read(configuration, "Security:SignInAttemptsPerAccountPerMinute", 10),
        Read(configuration, "Api:RequestsPerMinute", 300),
        Read(configuration, "Api:TokenRequestsPerMinute", 1200));

    private static int Read(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Most
            ? value
            : throw new SettingException($"{key} must be a whole number from 1 to {Most:N0}, a count a minute; it is '{text}'.");
    }
}
