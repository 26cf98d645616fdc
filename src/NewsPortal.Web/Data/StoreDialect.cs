using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

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

    public static StoreDialect Of(DatabaseFacade database) => database.IsNpgsql() ? Postgres : Sqlite;

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
    /// Whether a save lost a race it can try again: a unique key or version taken meanwhile (both stores), or on
    /// PostgreSQL a deadlock or serialization failure, which EF reports as a transient failure.
    /// </summary>
    public static bool IsLostRace(Exception exception)
        => exception is DbUpdateException
            || exception is InvalidOperationException { InnerException: DbUpdateException or Npgsql.PostgresException { IsTransient: true } };

    /// <summary>Names the index SQLite must use (its planner has no statistics on a new store); PostgreSQL takes no hints.</summary>
    public string IndexedBy(string index) => IsSqlite ? $" INDEXED BY \"{index}\"" : "";
}
