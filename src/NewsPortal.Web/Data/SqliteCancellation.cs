using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Serilog.Core;
using Serilog.Events;
using SQLitePCL;

namespace NewsPortal.Web.Data;

/// <summary>
/// Stops a SQLite statement when the request that asked for it is cancelled (its client has gone): Microsoft.Data.Sqlite
/// only checks the token before a command starts, so a long statement would otherwise run to its end for nobody.
/// The statement fails with SQLITE_INTERRUPT, which <see cref="SqliteCancellationMiddleware"/> turns back into the
/// cancellation it is.
/// </summary>
public sealed class SqliteCancellation : DbCommandInterceptor
{
    private const int Interrupted = 9;

    private static readonly ConditionalWeakTable<DbCommand, Statement> Statements = [];

    /// <summary>The cancellation of the request this flow of execution serves, if any (see <see cref="SqliteCancellationMiddleware"/>).</summary>
    internal static readonly AsyncLocal<CancellationToken> Request = new();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Watch(command, cancellationToken);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Watch(command, cancellationToken);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Forget(command);
        return base.ScalarExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Forget(command);
        return base.DataReaderDisposing(command, eventData, result);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(command);
        return base.CommandFailedAsync(command, eventData, cancellationToken);
    }

    // EF Core reports a command that ended in an OperationCanceledException as cancelled, not failed.
    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(command);
        return base.CommandCanceledAsync(command, eventData, cancellationToken);
    }

    /// <summary>Whether an exception is SQLite stopping a statement because its token was cancelled.</summary>
    public static bool IsInterruption(Exception exception)
        => exception is SqliteException { SqliteErrorCode: Interrupted } || exception.InnerException is { } inner && IsInterruption(inner);

    /// <summary>
    /// Whether a log event is EF Core reporting a statement stopped this way. It reports one as a failed command (a
    /// warning with the SQL) and a failed query (an error with a stack), though nothing failed: the request was
    /// cancelled, its client gone or its time up, and its own log line says so. Under a breaking story's traffic,
    /// readers who leave mid-search would otherwise fill the log with errors. The failed query carries SQLite's
    /// exception; the failed command carries none, so it is told by its request, cancelled (on PostgreSQL a
    /// cancelled command is reported as cancelled, below warnings).
    /// </summary>
    public static bool IsEfCoreReportOfInterruption(LogEvent logEvent)
        => logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source)
            && source is ScalarValue { Value: string name } && name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            && (logEvent.Exception is { } exception ? IsInterruption(exception) : Request.Value.IsCancellationRequested && IsCommandError(logEvent));

    private static bool IsCommandError(LogEvent logEvent)
        => logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
            && eventId.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: int number } && number == RelationalEventId.CommandError.Id);

    private static void Watch(DbCommand command, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled && command.Connection is SqliteConnection { Handle: { } handle })
        {
            var statement = new Statement(handle);
            Statements.AddOrUpdate(command, statement);
            statement.Registration = cancellationToken.Register(static state => ((Statement)state!).Interrupt(), statement);
        }
    }

    private static void Forget(DbCommand command)
    {
        if (Statements.TryGetValue(command, out var statement))
        {
            Statements.Remove(command);
            statement.End();
        }
    }

    /// <summary>
    /// One command's statement, interruptible until it ends. The token may be cancelled at any moment, also as the
    /// command ends on another thread: after that its connection may be closed (its handle disposed), or back in the
    /// pool running another request's statement, which an interrupt must not reach.
    /// </summary>
    private sealed class Statement(sqlite3 handle)
    {
        private readonly Lock _lock = new();
        private bool _ended;

        public CancellationTokenRegistration Registration { get; set; }

        public void Interrupt()
        {
            lock (_lock)
            {
                if (_ended)
                {
                    return;
                }

                try
                {
                    raw.sqlite3_interrupt(handle);
                }
                catch (ObjectDisposedException)
                {
                    // The connection closed first: there is no statement left to stop.
                }
            }
        }

        public void End()
        {
            lock (_lock)
            {
                _ended = true;
            }

            // Outside the lock: disposing waits for a running callback, which takes it.
            Registration.Dispose();
        }
    }
}

public static class SqliteCancellationMiddleware
{
    /// <summary>A statement stopped because the request was cancelled is a cancelled request, not a server error.</summary>
    public static IApplicationBuilder UseSqliteCancellation(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Inside the request's time limit, whose token this is.
        SqliteCancellation.Request.Value = context.RequestAborted;
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && SqliteCancellation.IsInterruption(ex))
        {
            throw new OperationCanceledException("The client went away; its statement was stopped.", ex, context.RequestAborted);
        }
    });
}
