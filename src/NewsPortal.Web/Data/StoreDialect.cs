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

    /// <summary>Names the index SQLite must use (its planner has no statistics on a new store); PostgreSQL takes no hints.</summary>
    public string IndexedBy(string index) => IsSqlite ? $" INDEXED BY \"{index}\"" : "";
}
