using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;
using SQLitePCL;

namespace NewsPortal.Web.Data;

/// <summary>
/// Settings SQLite keeps per connection, applied once to each new one (pooled connections keep them):
/// <c>synchronous=NORMAL</c>, which with WAL never corrupts the store and at worst loses the last commits on a power
/// failure, instead of waiting for the disk on every commit; and a page cache of <see cref="CacheKilobytes"/>.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int CacheKilobytes = 8 * 1024;

    /// <summary>SQLite's own default: the write-ahead log is copied into the store every thousand pages.</summary>
    public const int CheckpointPages = 1000;

    /// <summary>The SQL function giving a body's plain text (<see cref="MarkdownRenderer.PlainText"/>), for migrations.</summary>
    public const string BodyTextFunction = "newsportal_body_text";

    private static readonly ConditionalWeakTable<sqlite3, object> Prepared = [];

    private static readonly MarkdownRenderer Markdown = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Prepare(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Prepare(connection);
        return Task.CompletedTask;
    }

    private static void Prepare(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && !Prepared.TryGetValue(handle, out _))
        {
            raw.sqlite3_exec(handle, $"PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{CacheKilobytes};");
            Prepared.AddOrUpdate(handle, handle);
        }
    }

    /// <summary>
    /// The functions migrations use to fill new columns from stored ones (the import's match keys, the search index's
    /// plain text), on an open connection, so the app applies its migrations itself (<see cref="DatabaseInitializer"/>).
    /// </summary>
    public static void AddMigrationFunctions(SqliteConnection connection)
    {
        connection.CreateFunction<string, string?, string, long>(MatchKeys.TitleKeyFunction, MatchKeys.ForStoredTitle, isDeterministic: true);
        connection.CreateFunction<string?, string?, long?>(MatchKeys.UrlKeyFunction, MatchKeys.ForUrl, isDeterministic: true);
        connection.CreateFunction<string, string>(BodyTextFunction, Markdown.PlainText, isDeterministic: true);
    }
}
