using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Data;

/// <summary>
/// A request's cancellation stops its own SQLite statement and nothing else: not once that statement was given up on
/// (here by an interceptor after it, as a test's held query is), when its connection may be closed or running another
/// request's statement.
/// </summary>
public sealed class StatementInterruptTests
{
    [SqliteFact]
    public async Task ARequestCancelledAfterItsStatementWasGivenUp_StopsNothingElseOnItsConnection()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var running = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        connection.CreateFunction("hold", () =>
        {
            running.Set();
            go.Wait(TimeSpan.FromSeconds(30));
            return 1L;
        });
        using var context = new Store(new DbContextOptionsBuilder<Store>()
            .UseSqlite(connection).AddInterceptors(new SqliteCancellation(), new GivesUp()).Options);
        using var leaving = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => context.Database.SqlQueryRaw<long>("SELECT 1 AS Value -- given up").ToListAsync(leaving.Token));

        // Another request's statement on the same connection, counting after a first row that waits to be let go.
        var other = Task.Run(() => context.Database.SqlQueryRaw<long>(
            "WITH RECURSIVE c(x) AS (SELECT hold() UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT max(x) AS Value FROM c")
            .ToListAsync(CancellationToken.None));
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "The other statement did not start.");
        await leaving.CancelAsync();
        go.Set();

        Assert.Equal([100000L], await other);
    }

    [SqliteFact]
    public async Task ARequestCancelledAfterItsStatementWasGivenUpAndItsConnectionClosed_IsCancelledWithoutAnError()
    {
        using var leaving = new CancellationTokenSource();
        using (var context = new Store(new DbContextOptionsBuilder<Store>()
            .UseSqlite("Data Source=:memory:;Pooling=False").AddInterceptors(new SqliteCancellation(), new GivesUp()).Options))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => context.Database.SqlQueryRaw<long>("SELECT 1 AS Value -- given up").ToListAsync(leaving.Token));
        }

        // Whoever cancels (Kestrel, as a client goes) is not handed an error from a connection already closed.
        var thrown = await Record.ExceptionAsync(() => leaving.CancelAsync());

        Assert.Null(thrown);
    }

    private sealed class Store(DbContextOptions<Store> options) : DbContext(options);

    /// <summary>Gives up on a marked statement before it runs, with a cancellation of its own.</summary>
    private sealed class GivesUp : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
            => command.CommandText.Contains("given up", StringComparison.Ordinal)
                ? throw new OperationCanceledException("Given up.")
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
