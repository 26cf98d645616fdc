using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>
/// The app's log as Serilog writes it (the app reads sinks from its services), for tests of what an operator sees:
/// register it as a singleton <see cref="ILogEventSink"/>.
/// </summary>
public sealed class LogSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>The lines logged at <paramref name="level"/> or above, rendered as the console shows them.</summary>
    public List<string> AtLeast(LogEventLevel level)
        => [.. _events.Where(e => e.Level >= level).Select(e => e.RenderMessage())];
}
