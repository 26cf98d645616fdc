using Serilog.Events;

namespace NewsPortal.Web.Shared;

/// <summary>The level of each request's log line.</summary>
public static class RequestLogLevel
{
    /// <summary>
    /// As Serilog's own rule (an exception or a 5xx is an error), except a request stopped because its client went
    /// away: under load, readers who close a tab would otherwise fill the log with errors no one can act on.
    /// </summary>
    public static LogEventLevel For(HttpContext context, double elapsedMilliseconds, Exception? exception)
        => exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested ? LogEventLevel.Debug
            : exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : LogEventLevel.Information;
}
