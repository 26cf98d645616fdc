using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

/// <summary>
/// A background loop that fails at every pass (the store down) says so once with the exception, then a line a minute
/// while it lasts, then once when it works again: not a stack trace a pass.
/// </summary>
public sealed class RepeatedFailuresTests
{
    [Fact]
    public void AStoreDownForTwoAndAHalfMinutes_LogsOneStackTrace_ALineAMinute_AndTheRecovery()
    {
        var clock = new FakeTimeProvider();
        var logger = new FakeLogger();
        var failures = new RepeatedFailures(logger, "read the cache invalidation log", clock);

        // A pass every half second for 150 s, each failing.
        for (var pass = 0; pass < 300; pass++)
        {
            failures.Failed(new InvalidOperationException("connection refused"));
            clock.Advance(TimeSpan.FromSeconds(0.5));
        }

        failures.Succeeded();
        failures.Succeeded();
        failures.Failed(new InvalidOperationException("disk full"));

        var lines = logger.Collector.GetSnapshot();
        Assert.Equal(
        [
            "Could not read the cache invalidation log; trying again",
            "Still could not read the cache invalidation log: 121 failures in 60 s, the latest: connection refused",
            "Still could not read the cache invalidation log: 241 failures in 120 s, the latest: connection refused",
            "Could read the cache invalidation log again after 300 failures in 150 s",
            "Could not read the cache invalidation log; trying again",
        ], lines.Select(l => l.Message));
        Assert.Equal([true, false, false, false, true], lines.Select(l => l.Exception is not null));
        Assert.Equal([LogLevel.Error, LogLevel.Error, LogLevel.Error, LogLevel.Information, LogLevel.Error], lines.Select(l => l.Level));
    }
}
