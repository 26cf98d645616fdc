using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace NewsPortal.Web.Data;

/// <summary>
/// The pieces of hand-written SQL that differ between SQLite and PostgreSQL, in one place. (Schema beyond the EF model
/// lives in each provider's migrations: SQLite's triggers and FTS5 index, <see cref="Postgres.PostgresSchema"/>.)
/// </summary>
public sealed class StoreDialect
{
    public static readonly StoreDialect Sqlite = new(isSqlite: true);
    public static readonly StoreDialect Postgres = new(isSqlite: false);

    private StoreDialect(bool isSqlite) => IsSqlite = isSqlite;

    public bool IsSqlite { get; }

    /// <summary>
    /// Kept with each context's facade: Npgsql's <c>IsNpgsql</c> reads its assembly's name on every call, and pages ask
    /// a dozen times a request (1% of an uncached front page's CPU).
    /// </summary>
    private static readonly ConditionalWeakTable<DatabaseFacade, StoreDialect> Known = [];

    public static StoreDialect Of(DatabaseFacade database) => Known.GetValue(database, static d => d.IsNpgsql() ? Postgres : Sqlite);

    /// <summary>
    /// A number of the portal's own (a limit, an offset; never a reader's input) written into SQL rather than passed
    /// as an argument. PostgreSQL plans a prepared statement for its arguments five times, then once for all only if
    /// that plan looks as cheap; with limits and flags as arguments it never did, so pages' queries were planned on
    /// every request, which took three times as long as running them (and 2.5 ms of a search's 14).
    /// </summary>
    public static string Literal(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A flag of the portal's own written into SQL (see <see cref="Literal(long)"/>), as each store writes one.</summary>
    public string Literal(bool value) => IsSqlite ? (value ? "1" : "0") : (value ? "true" : "false");

    /// <summary>
    /// Joins the rows a walk found to their stories. SQLite's CROSS JOIN keeps the order written, so the walk drives
    /// and each story is read by its key; PostgreSQL's planner makes that choice from its statistics.
    /// </summary>
    public string WalkJoin => IsSqlite ? "CROSS JOIN" : "JOIN";

    /// <summary>
    /// Joins each row before it to the rows of <paramref name="table"/>, as <paramref name="alias"/>, whose ids
    /// <paramref name="ids"/> picks for that row (a subquery referring to it, ordered and limited). SQLite runs such an
    /// <c>IN</c> list once per row before it. PostgreSQL runs it once per row of <paramref name="table"/> instead: for
    /// the editor's thread suggestion at 1,000,000 stories, a whole scan and 70,000,000 subqueries for 70 threads (201 s); joined
    /// <c>LATERAL</c>, once per row before it.
    /// </summary>
    public string JoinEach(string table, string alias, string ids) => IsSqlite
        ? $$"""JOIN "{{table}}" {{alias}} ON {{alias}}."Id" IN ({{ids}})"""
        : $$"""CROSS JOIN LATERAL ({{ids}}) {{alias}}_ids JOIN "{{table}}" {{alias}} ON {{alias}}."Id" = {{alias}}_ids."Id" """;

    /// <summary>
    /// Begins the transaction of a save someone is waiting for (an editor's, a client's), waiting at most
    /// <paramref name="wait"/> for another writer: an import still running holds the stories it wrote until its file
    /// commits (on SQLite, the whole store). Past the wait the store refuses (<see cref="IsHeldByAnotherWriter"/>),
    /// while the request still has time to answer with what was sent.
    /// </summary>
    public async Task<IDbContextTransaction> BeginWaitingAtMostAsync(DatabaseFacade database, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (IsSqlite)
        {
            // SQLite waits for another writer only to begin (BEGIN IMMEDIATE); once begun, the store is this
            // transaction's until it ends, so the connection's usual wait is put back at once.
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)database.GetDbConnection();
            var usual = connection.DefaultTimeout;
            connection.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            try
            {
                return await database.BeginTransactionAsync(cancellationToken);
            }
            finally
            {
                connection.DefaultTimeout = usual;
            }
        }

        var transaction = await database.BeginTransactionAsync(cancellationToken);
        // LOCAL: the transaction's own, gone with it, so a pooled connection takes nothing to its next user. SET takes
        // no arguments; the number is the portal's own setting.
        var sql = $"SET LOCAL lock_timeout = {Literal((long)Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)))}";
        await database.ExecuteSqlRawAsync(sql, cancellationToken);
        return transaction;
    }

    /// <summary>How long notes are left unwritten once one found the store held (<see cref="NoteAsync"/>).</summary>
    private static readonly TimeSpan NotesLeftFor = TimeSpan.FromSeconds(15);

    /// <summary>Per SQLite store (its connection string: one in a site, one per test), until when notes are left.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> NotesLeftUntil = new();

    /// <summary>
    /// Writes a note the request does not depend on (when a browser or a token was last used), waiting for another
    /// writer at most a second on SQLite, where an import holds the whole store until its file commits: the note is
    /// left to a later request rather than holding this one for SQLite's usual thirty seconds (a wait the request's
    /// own time does not stop). PostgreSQL's imports hold no row a note writes. Returns whether it was written.
    /// </summary>
    public static async Task<bool> NoteAsync(DatabaseFacade database, Func<Task> write)
    {
        if (!Of(database).IsSqlite)
        {
            await write();
            return true;
        }

        // An import holds the store for minutes: once a note has found it held, notes wait for no one for a while,
        // rather than each request of the while waiting its second again.
        var store = database.GetConnectionString() ?? "";
        if (NotesLeftUntil.TryGetValue(store, out var until) && Environment.TickCount64 < until)
        {
            return false;
        }

        var usual = database.GetCommandTimeout();
        database.SetCommandTimeout(1);
        try
        {
            await write();
            return true;
        }
        catch (Exception ex) when (IsHeldByAnotherWriter(ex))
        {
            NotesLeftUntil[store] = Environment.TickCount64 + (long)NotesLeftFor.TotalMilliseconds;
            return false;
        }
        finally
        {
            database.SetCommandTimeout(usual);
        }
    }

    /// <summary>
    /// Whether a change was refused because another writer held what it needed past its wait
    /// (<see cref="BeginWaitingAtMostAsync"/>): PostgreSQL's lock_not_available, SQLite's busy or locked store.
    /// </summary>
    public static bool IsHeldByAnotherWriter(Exception exception)
        => CausesOf(exception).Any(e => e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.LockNotAvailable }
            or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED });

    /// <summary>
    /// Takes the row lock on an article before a save changes it, so two saves of one story queue on its row before
    /// either touches the rows its triggers update (counts of categories and sources), where they could deadlock.
    /// SQLite has one writer at a time: nothing to do.
    /// </summary>
    public Task LockArticleAsync(DbContext db, int id, CancellationToken cancellationToken) => LockRowAsync(db, "Articles", id, cancellationToken);

    /// <summary>Takes the row lock on a row of <paramref name="table"/> (a name of the app's own), on PostgreSQL; SQLite has one writer at a time.</summary>
    public async Task LockRowAsync(DbContext db, string table, int id, CancellationToken cancellationToken)
    {
        if (!IsSqlite)
        {
            var sql = $$"""SELECT 1 FROM "{{table}}" WHERE "Id" = {0} FOR UPDATE""";
            await db.Database.ExecuteSqlRawAsync(sql, [id], cancellationToken);
        }
    }

    /// <summary>
    /// Takes the row locks on rows of <paramref name="table"/> (a name of the app's own), lowest id first, on
    /// PostgreSQL: writers that take several in one order wait for each other instead of deadlocking.
    /// </summary>
    public async Task LockRowsAsync(DbContext db, string table, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        if (!IsSqlite && ids.Count > 0)
        {
            var sql = $$"""SELECT 1 FROM "{{table}}" WHERE "Id" = ANY({0}) ORDER BY "Id" FOR UPDATE""";
            await db.Database.ExecuteSqlRawAsync(sql, [ids.ToArray()], cancellationToken);
        }
    }

    /// <summary>
    /// Makes the rest of this transaction the only one of its <paramref name="name"/> at a time: a check that nothing
    /// is there yet and the write that depends on it. PostgreSQL takes an advisory lock for the transaction; SQLite's
    /// transactions begin by taking its one write lock, which does the same.
    /// </summary>
    public async Task LockForTransactionAsync(DbContext db, string name, CancellationToken cancellationToken)
    {
        if (!IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext({0}))", [name], cancellationToken);
        }
    }

    private const string RecountedSql = $"SELECT set_config('{Data.Postgres.PostgresSchema.CountsRecounted}', 'on', true)";

    /// <summary>
    /// Tells PostgreSQL's count triggers that this transaction recounts what its next statements change (see
    /// <see cref="Data.Postgres.PostgresSchema.CountsRecounted"/>). SQLite's triggers count as they go, cheaply: nothing to do.
    /// </summary>
    public async Task RecountAfterwardsAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync(RecountedSql, cancellationToken);
        }
    }

    /// <summary>
    /// Tells PostgreSQL's search trigger that this transaction is a dry run, rolled back whatever happens, so it need
    /// not compute search vectors (see <see cref="Data.Postgres.PostgresSchema.VectorsSkipped"/>). SQLite's importer
    /// fills its search index itself, cheaply: nothing to do.
    /// </summary>
    public async Task SkipSearchVectorsAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT set_config('{Data.Postgres.PostgresSchema.VectorsSkipped}', 'on', true)", cancellationToken);
        }
    }

    /// <summary>
    /// Whether the store refused a row because another transaction committed the same key first (a new name, an
    /// address): PostgreSQL's unique violation, SQLite's unique or primary key constraint.
    /// </summary>
    public static bool IsDuplicateKey(Exception exception)
        => (exception.InnerException ?? exception) switch
        {
            Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
            _ => false,
        };

    /// <summary>
    /// Whether PostgreSQL ended this transaction's statement to break a deadlock with another, or refused it as not
    /// serializable: a race lost to another writer, not a refusal of what was written. SQLite has one writer at a time.
    /// </summary>
    public static bool IsDeadlock(Exception exception)
        => CausesOf(exception).Any(e => e is Npgsql.PostgresException
        {
            SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure,
        });

    /// <summary>
    /// Whether the store refused a row because a row it refers to was removed meanwhile (a name merged away between
    /// the check and the save): PostgreSQL's foreign key violation, SQLite's foreign key constraint.
    /// </summary>
    public static bool IsMissingKey(Exception exception)
        => CausesOf(exception).Any(e => e switch
        {
            Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation,
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 787,
            _ => false,
        });

    /// <summary>
    /// Whether a save lost a race it can try again: a unique key or version taken meanwhile (both stores, by a save or
    /// by a statement of the app's own), a row it links removed meanwhile, or on PostgreSQL a deadlock or
    /// serialization failure (which EF reports as a transient failure, and a statement of the app's own, such as a row
    /// lock, raises as it is). Any other refusal (a rule of the store's own) would be refused again, so it is not one;
    /// nor is a wait for another writer run out (transient to EF too), which another round would only wait out again.
    /// </summary>
    public static bool IsLostRace(Exception exception)
        => !IsHeldByAnotherWriter(exception) && (exception is DbUpdateConcurrencyException
            || IsDuplicateKey(exception)
            || IsMissingKey(exception)
            || IsDeadlock(exception)
            || exception is InvalidOperationException { InnerException: DbUpdateException or Npgsql.PostgresException { IsTransient: true } });

    /// <summary>
    /// Whether the store could not take the request just now, rather than refusing it: PostgreSQL out of reach (the
    /// network, a restart, every pooled connection busy past its wait, too many clients, a row another writer held past
    /// the save's wait) or SQLite's file locked by another writer past the wait. Asked again in a moment, it may well
    /// answer, so the reply is a 503, not a 500.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        foreach (var current in CausesOf(exception))
        {
            switch (current)
            {
                case Npgsql.PostgresException postgres:
                    // Class 08 (connection), 53 (resources such as too many clients), 57P01-57P03 (shut down, starting),
                    // 55P03 (another writer held a row past the save's wait).
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || postgres.SqlState is Npgsql.PostgresErrorCodes.AdminShutdown or Npgsql.PostgresErrorCodes.CrashShutdown
                            or Npgsql.PostgresErrorCodes.CannotConnectNow or Npgsql.PostgresErrorCodes.LockNotAvailable;
                case Npgsql.NpgsqlException { IsTransient: true }:
                    return true;
                case Microsoft.Data.Sqlite.SqliteException sqlite:
                    return sqlite.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED;
                case System.Net.Sockets.SocketException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why the store would not let the site in, for an operator to put right in the settings or the database:
    /// PostgreSQL refusing the account, having no such database, or denying the role what the migrations do; SQLite
    /// finding a file that is not a database, or a damaged one. Null for anything else.
    /// </summary>
    public static string? Refusal(Exception exception) => CausesOf(exception).Select(cause => cause switch
    {
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InvalidPassword or Npgsql.PostgresErrorCodes.InvalidAuthorizationSpecification } postgres
            => $"PostgreSQL refused the account ConnectionStrings:NewsPortal names ({postgres.MessageText})",
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InvalidCatalogName } postgres
            => $"PostgreSQL has no such database ({postgres.MessageText}): create it owned by the site's role (createdb --owner=ROLE NAME), or correct ConnectionStrings:NewsPortal",
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InsufficientPrivilege } postgres
            => $"the role ConnectionStrings:NewsPortal names may not set up the store ({postgres.MessageText}): it must own its database, with the rights an owner has (ALTER DATABASE NAME OWNER TO ROLE)",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT } sqlite
            => $"the file ConnectionStrings:NewsPortal names is not a SQLite database, or is damaged ({sqlite.Message}): correct the setting, or restore the store from a backup",
        _ => null,
    }).FirstOrDefault(reason => reason is not null);

    /// <summary>Whether the store's disk is full: SQLite's SQLITE_FULL, PostgreSQL's disk_full.</summary>
    public static bool IsOutOfSpace(Exception exception)
        => CausesOf(exception).Any(e => e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL }
            or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DiskFull });

    /// <summary>The exception and the ones inside it, outermost first: EF Core wraps what the store's driver threw.</summary>
    public static IEnumerable<Exception> CausesOf(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    /// <summary>Names the index SQLite must use (its planner has no statistics on a new store); PostgreSQL takes no hints.</summary>
    public string IndexedBy(string index) => IsSqlite ? $" INDEXED BY \"{index}\"" : "";
}
