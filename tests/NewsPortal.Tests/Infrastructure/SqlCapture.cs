using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>One SQL command the app sent, with its parameters, for asking SQLite how it would run it.</summary>
public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)
{
    public override string ToString() => Sql;
}

/// <summary>
/// Records the SQL commands sent from inside a <see cref="Begin"/> scope (the test's own async flow, which the test
/// server carries into the request), so commands from background work are not counted.
/// </summary>
public sealed class SqlCapture : DbCommandInterceptor
{
    private readonly AsyncLocal<List<CapturedCommand>?> _current = new();

    public Scope Begin()
    {
        var commands = new List<CapturedCommand>();
        _current.Value = commands;
        return new Scope(this, commands);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Record(DbCommand command)
    {
        if (_current.Value is { } commands)
        {
            lock (commands)
            {
                commands.Add(new CapturedCommand(command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
            }
        }
    }

    public sealed class Scope(SqlCapture capture, List<CapturedCommand> commands) : IDisposable
    {
        public IReadOnlyList<CapturedCommand> Commands
        {
            get
            {
                lock (commands)
                {
                    return [.. commands];
                }
            }
        }

        public void Dispose() => capture._current.Value = null;
    }
}

/// <summary>Asks SQLite how it would run a command: EXPLAIN QUERY PLAN, one line per step.</summary>
public static class QueryPlans
{
    public static async Task<IReadOnlyList<string>> ExplainAsync(SqliteConnection connection, CapturedCommand command)
    {
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }
}
