using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Web.Data;
using Npgsql;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>One SQL command the app sent, with its parameters, for asking SQLite how it would run it.</summary>
public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)
{
    public override string ToString() => Sql;

    /// <summary>Whether this reads one of <paramref name="tables"/> whole: no condition, no limit and no aggregate (a newest id is one row).</summary>
    public bool ReadsWholeTable(params string[] tables)
        => tables.Any(t => Sql.Contains($"FROM \"{t}\"", StringComparison.Ordinal))
            && !Sql.Contains("WHERE", StringComparison.Ordinal) && !Sql.Contains("LIMIT", StringComparison.Ordinal)
            && !Sql.Contains("MAX(", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Records the SQL commands sent from inside a <see cref="Begin"/> scope (the test's own async flow, which the test
/// server carries into the request), so commands from background work are not counted.
/// </summary>
public sealed class SqlCapture : DbCommandInterceptor
{
    private readonly AsyncLocal<List<CapturedCommand>?> _current = new();

    /// <summary>
    /// Records the app's commands (on either store) with the output cache off, so that every request reaches the store.
    /// </summary>
    public void RecordEveryRequest(IWebHostBuilder builder)
    {
        builder.UseSetting("Cache:Enabled", "false");
        builder.ConfigureTestServices(services => services
            .ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(this))
            .ConfigureDbContext<PostgresNewsDbContext>(options => options.AddInterceptors(this)));
    }

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

/// <summary>Asks the store how it would run a command (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), or how it did.</summary>
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

    /// <summary>
    /// PostgreSQL's plan for a command. A test store is a few rows, which a sequential scan reads fastest, so that is
    /// ruled out (with whatever else a test names): what is checked is that an index can answer the query as written.
    /// </summary>
    public static async Task<string> ExplainAsync(string connectionString, CapturedCommand command, params string[] ruledOut)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var setting in ruledOut.Prepend("enable_seqscan"))
        {
            await using var off = new NpgsqlCommand($"SET {setting} = off", connection);
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + command.Sql, connection);
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    /// <summary>PostgreSQL running a command and saying what each part of it did (EXPLAIN ANALYZE, as JSON).</summary>
    public static async Task<System.Text.Json.JsonElement> AnalyzeAsync(string connectionString, CapturedCommand command)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // As in ExplainAsync: a test store is so small that PostgreSQL would read it whole rather than through an index.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + command.Sql, connection);
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        return plan.RootElement[0].GetProperty("Plan").Clone();
    }

    /// <summary>Whether the part of the plan named <paramref name="subplan"/> ("CTE Level3") read any stories.</summary>
    public static bool Ran(System.Text.Json.JsonElement plan, string subplan)
    {
        var part = Nodes(plan).SingleOrDefault(n => n.TryGetProperty("Subplan Name", out var name) && name.GetString() == subplan);
        Assert.True(part.ValueKind == System.Text.Json.JsonValueKind.Object, $"No {subplan} in the plan");
        var scans = Nodes(part).Where(n => n.TryGetProperty("Relation Name", out var table) && table.GetString() == "Articles").ToList();
        Assert.NotEmpty(scans);
        return scans.Any(n => n.GetProperty("Actual Loops").GetInt64() > 0);
    }

    private static IEnumerable<System.Text.Json.JsonElement> Nodes(System.Text.Json.JsonElement node)
        => node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().SelectMany(Nodes).Prepend(node) : [node];
}

/// <summary>
/// What a command costs SQLite: the virtual machine steps it takes to run to its end, read from the statement's own
/// counter. It counts the work, not the time, so it is the same on a busy machine and a quiet one.
/// </summary>
public static class QueryCost
{
    private const int VmStep = 4;

    public static long Steps(string databasePath, CapturedCommand command)
    {
        SQLitePCL.Batteries_V2.Init();
        Check(SQLitePCL.raw.sqlite3_open_v2(databasePath, out var db, SQLitePCL.raw.SQLITE_OPEN_READONLY, null), null);
        using (db)
        {
            // The app's background work may be writing: wait for it rather than fail.
            SQLitePCL.raw.sqlite3_busy_timeout(db, 10_000);
            var total = 0L;
            var sql = command.Sql;
            while (!string.IsNullOrWhiteSpace(sql))
            {
                Check(SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out var statement, out var rest), db);
                using (statement)
                {
                    sql = rest;
                    if (statement.IsInvalid)
                    {
                        continue;
                    }

                    foreach (var (name, value) in command.Parameters)
                    {
                        var index = SQLitePCL.raw.sqlite3_bind_parameter_index(statement, name.StartsWith('@') || name.StartsWith('$') || name.StartsWith(':') ? name : "@" + name);
                        if (index > 0)
                        {
                            Bind(statement, index, value);
                        }
                    }

                    int result;
                    while ((result = SQLitePCL.raw.sqlite3_step(statement)) == SQLitePCL.raw.SQLITE_ROW)
                    {
                    }

                    Check(result == SQLitePCL.raw.SQLITE_DONE ? 0 : result, db);
                    total += SQLitePCL.raw.sqlite3_stmt_status(statement, VmStep, 0);
                }
            }

            return total;
        }
    }

    /// <summary>Binds a value as Microsoft.Data.Sqlite would: numbers as integers or reals, dates and the rest as text.</summary>
    private static void Bind(SQLitePCL.sqlite3_stmt statement, int index, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                SQLitePCL.raw.sqlite3_bind_null(statement, index);
                break;
            case bool flag:
                SQLitePCL.raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0);
                break;
            case int or long or short or byte:
                SQLitePCL.raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                SQLitePCL.raw.sqlite3_bind_double(statement, index, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                SQLitePCL.raw.sqlite3_bind_text(statement, index, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateOnly day:
                SQLitePCL.raw.sqlite3_bind_text(statement, index, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                SQLitePCL.raw.sqlite3_bind_text(statement, index, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void Check(int result, SQLitePCL.sqlite3? db)
    {
        if (result != SQLitePCL.raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite error {result}: {(db is null ? "" : SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string())}");
        }
    }
}
