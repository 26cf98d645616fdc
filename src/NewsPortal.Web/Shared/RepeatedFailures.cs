namespace NewsPortal.Web.Shared;

/// <summary>
/// How a background loop that tries again on its own reports failing: the first failure with its exception, then
/// while it keeps failing one line every <see cref="Every"/> with how many times and the latest message, and one line
/// when it works again. Each loop logged a stack trace at every pass (twice a second for the cache listener), so a
/// store down for ten minutes buried the log in some 2,000 of them.
/// </summary>
public sealed class RepeatedFailures(ILogger logger, string doing, TimeProvider clock)
{
    /// <summary>How often a loop still failing says so.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private int _failures;
    private long _firstAt;
    private long _saidAt;

    /// <summary>A pass failed; it is logged if it is the first of a run of failures or the last line is old enough.</summary>
    public void Failed(Exception exception)
    {
        var now = clock.GetTimestamp();
        if (_failures++ == 0)
        {
            (_firstAt, _saidAt) = (now, now);
            logger.LogError(exception, "Could not {Doing}; trying again", doing);
            return;
        }

        if (clock.GetElapsedTime(_saidAt, now) >= Every)
        {
            _saidAt = now;
            logger.LogError("Still could not {Doing}: {Failures} failures in {Seconds:0} s, the latest: {Message}",
                doing, _failures, clock.GetElapsedTime(_firstAt, now).TotalSeconds, (exception.InnerException ?? exception).Message);
        }
    }

    /// <summary>A pass worked: after a run of failures, that is said once.</summary>
    public void Succeeded()
    {
        if (_failures > 0)
        {
            logger.LogInformation("Could {Doing} again after {Failures} failures in {Seconds:0} s",
                doing, _failures, clock.GetElapsedTime(_firstAt).TotalSeconds);
            _failures = 0;
        }
    }

    /// <summary>
    /// Runs <paramref name="pass"/> now and at each tick of <paramref name="timer"/> until the service stops, counting
    /// a pass that fails here rather than ending the loop. Stopping ends it quietly, as does a start that failed: the
    /// host would log the cancellation as the service's fault, with its stack trace.
    /// </summary>
    public async Task RunAsync(PeriodicTimer timer, Func<CancellationToken, Task> pass, CancellationToken stoppingToken)
    {
        try
        {
            do
            {
                try
                {
                    await pass(stoppingToken);
                    Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Failed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
