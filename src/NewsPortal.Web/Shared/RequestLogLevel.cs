using Serilog.Events;

namespace NewsPortal.Web.Shared;

/// <summary>The level of each request's log line.</summary>
public static class RequestLogLevel
{
    /// <summary>
    /// As Serilog's own rule (an exception or a 5xx is an error), except a request stopped because its client went
    /// away (under load, readers who close a tab would otherwise fill the log with errors no one can act on), and a 503
    /// the portal answered itself: a time limit it keeps (a search of very common words, the request's limit) or a store
    /// that did not answer, each logged where it happened (a failure there as an error); a warning here, as any reader
    /// can cause the first.
    /// </summary>
    public static LogEventLevel For(HttpContext context, double elapsedMilliseconds, Exception? exception)
        => exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested ? LogEventLevel.Debug
            : exception is null && context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable ? LogEventLevel.Warning
            : exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : LogEventLevel.Information;
}
