using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Data.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace NewsPortal.Web.Import;

/// <summary>
/// Inserts new articles and their category and source links: on SQLite with commands prepared once and reused, on
/// PostgreSQL with binary COPY (see <see cref="CopyPlan"/>). EF Core's SQLite provider sends one statement per row
/// from SaveChanges, which made a 10,000-story import spend most of its time in statement preparation (see the
/// benchmark section of the README). Columns and value formats come from the EF model, so rows are stored exactly
/// as SaveChanges would store them.
/// </summary>
public sealed class ArticleInserter(NewsDbContext db)
{
    private Statements? _statements;
    private CopyPlan? _copy;

    /// <summary>Inserts the articles inside the current transaction, setting each one's Id.</summary>
    public async Task InsertAsync(IReadOnlyList<Article> articles, CancellationToken cancellationToken)
    {
        if (articles.Count == 0)
        {
            return;
        }

        var transaction = Transaction();
        var sqlite = db.Database.IsSqlite();

        // The store's triggers leave the batch's counts (and on SQLite its search index) to be added once, below.
        await ExecuteAsync(transaction, sqlite
            ? """UPDATE "SearchIndexing" SET "Deferred" = 1"""
            : $"SELECT set_config('{PostgresSchema.CountsDeferred}', 'on', true)", cancellationToken);

        if (sqlite)
        {
            if (_statements?.Transaction != transaction)
            {
                _statements?.Dispose();
                _statements = Prepare(transaction);
            }

            // SQLite runs each statement on the calling thread anyway; the synchronous calls save an allocation a row.
            var statements = _statements;
            foreach (var article in articles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < statements.ArticleValues.Count; i++)
                {
                    statements.Article.Parameters[i].Value = statements.ArticleValues[i](article);
                }

                article.Id = Convert.ToInt32(statements.Article.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                Link(statements.Category, article, article.Categories.Select(c => c.Id));
                Link(statements.Source, article, article.Sources.Select(s => s.Id));
            }
        }
        else
        {
            _copy ??= PlanCopy();
            await _copy.InsertAsync((NpgsqlConnection)transaction.Connection!, articles, cancellationToken);
        }

        if (sqlite)
        {
            // The batch's ids are contiguous: SQLite lets one writer at a time, and this transaction is it.
            await ExecuteAsync(transaction, $"""
                INSERT INTO "ArticleSearch"(rowid, "Title", "Lede", "BodyText")
                SELECT "Id", "Title", "Lede", "BodyText" FROM "Articles" WHERE "Id" BETWEEN {articles.Min(a => a.Id)} AND {articles.Max(a => a.Id)};
                """, cancellationToken);
        }

        await CountAsync(transaction, articles.Where(a => a.Listed).ToList(), sqlite, cancellationToken);
        await ExecuteAsync(transaction, sqlite
            ? """UPDATE "SearchIndexing" SET "Deferred" = 0"""
            : $"SELECT set_config('{PostgresSchema.CountsDeferred}', 'off', true)", cancellationToken);
    }

    /// <summary>
    /// On PostgreSQL, has the count triggers collect what the import's transaction changes from here on, to be added
    /// once by <see cref="AddCollectedCountsAsync"/> as it commits (see <see cref="PostgresSchema.CountsCollected"/>).
    /// SQLite's triggers count row by row, which costs it nothing like PostgreSQL's row versions, and its one writer
    /// cannot deadlock.
    /// </summary>
    public Task CollectCountsAsync(CancellationToken cancellationToken) => OnPostgresAsync(PostgresSchema.CollectCounts, cancellationToken);

    /// <inheritdoc cref="CollectCountsAsync"/>
    public Task AddCollectedCountsAsync(CancellationToken cancellationToken) => OnPostgresAsync(PostgresSchema.AddCollectedCounts, cancellationToken);

    private Task OnPostgresAsync(string sql, CancellationToken cancellationToken)
        => db.Database.IsSqlite() ? Task.CompletedTask : ExecuteAsync(Transaction(), sql, cancellationToken);

    private DbTransaction Transaction() => db.Database.CurrentTransaction?.GetDbTransaction()
        ?? throw new InvalidOperationException("Articles are written only inside an import transaction.");

    /// <summary>
    /// What the count triggers would have added for these listed stories, added once per listing (see the NewsroomScale
    /// migration): on PostgreSQL noted with what the import's updates change, for the import to add up as it commits
    /// (<see cref="PostgresSchema.CountsCollected"/>). SQLite's thread trigger still counts row by row, which costs it
    /// nothing like PostgreSQL's row versions.
    /// </summary>
    private async Task CountAsync(DbTransaction transaction, IReadOnlyList<Article> listed, bool sqlite, CancellationToken cancellationToken)
    {
        if (listed.Count == 0)
        {
            return;
        }

        var listings = listed.SelectMany(a => new[] { ListingCount.All, ListingCount.Month(a.PublishedOn.Year, a.PublishedOn.Month), ListingCount.Language(a.Language) })
            .CountBy(key => key).ToList();
        var categories = listed.SelectMany(a => a.Categories.Select(c => c.Id)).CountBy(id => id).ToList();
        var sources = listed.SelectMany(a => a.Sources.Select(s => s.Id)).CountBy(id => id).ToList();
        if (!sqlite)
        {
            var threads = listed.Where(a => a.ThreadId is not null).CountBy(a => a.ThreadId!.Value);
            (string Kind, string Key, int Delta)[] counts =
            [
                .. listings.Select(c => ("ListingCounts", c.Key, c.Value)),
                .. categories.Select(c => ("Categories", Key(c.Key), c.Value)),
                .. sources.Select(c => ("Sources", Key(c.Key), c.Value)),
                .. threads.Select(c => ("Threads", Key(c.Key), c.Value)),
            ];
            await ExecuteAsync(transaction, PostgresSchema.NoteCounts, cancellationToken,
                ("@kinds", counts.Select(c => c.Kind).ToArray()), ("@keys", counts.Select(c => c.Key).ToArray()), ("@deltas", counts.Select(c => c.Delta).ToArray()));
            return;
        }

        foreach (var (key, count) in listings)
        {
            await ExecuteAsync(transaction, """
                INSERT INTO "ListingCounts" ("Key", "ArticleCount") VALUES (@key, @count)
                ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ListingCounts"."ArticleCount" + excluded."ArticleCount";
                """, cancellationToken, ("@key", key), ("@count", count));
        }

        foreach (var (id, count) in categories)
        {
            await ExecuteAsync(transaction, """UPDATE "Categories" SET "ArticleCount" = "ArticleCount" + @count WHERE "Id" = @id""", cancellationToken, ("@id", id), ("@count", count));
        }

        foreach (var (id, count) in sources)
        {
            await ExecuteAsync(transaction, """UPDATE "Sources" SET "ArticleCount" = "ArticleCount" + @count WHERE "Id" = @id""", cancellationToken, ("@id", id), ("@count", count));
        }
    }

    private static string Key(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task ExecuteAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Link(DbCommand command, Article article, IEnumerable<int> otherIds)
    {
        // The link carries its story's listing copies itself, so the store's copying trigger has nothing to do.
        command.Parameters[0].Value = article.Id;
        command.Parameters[2].Value = article.Listed;
        command.Parameters[3].Value = article.SortKey;
        foreach (var id in otherIds)
        {
            command.Parameters[1].Value = id;
            command.ExecuteNonQuery();
        }
    }

    private Statements Prepare(DbTransaction transaction)
    {
        var connection = db.Database.GetDbConnection();
        var (table, key, columns) = ArticleColumns();
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName(table)!)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) RETURNING {Quote(key)}";
        for (var i = 0; i < columns.Count; i++)
        {
            insert.Parameters.Add(columns[i].GetRelationalTypeMapping().CreateParameter(insert, $"@p{i}", null, columns[i].IsNullable));
        }

        insert.Prepare();
        return new Statements(
            transaction, insert, [.. columns.Select(ValueOf)],
            LinkCommand(connection, transaction, LinkTable(nameof(Article.Categories))),
            LinkCommand(connection, transaction, LinkTable(nameof(Article.Sources))));
    }

    /// <summary>The articles table, its key column and its other columns (each written from the article as EF Core would).</summary>
    private (StoreObjectIdentifier Table, string Key, List<IProperty> Columns) ArticleColumns()
    {
        var article = db.Model.FindEntityType(typeof(Article))!;
        var table = StoreObjectIdentifier.Table(article.GetTableName()!, article.GetSchema());
        return (table, article.FindPrimaryKey()!.Properties[0].GetColumnName(table)!, [.. article.GetProperties().Where(p => !p.IsPrimaryKey())]);
    }

    /// <summary>A link table's name and its columns: the article's id, the other side's id, and the story's listing copies.</summary>
    private LinkTableColumns LinkTable(string navigationName)
    {
        var navigation = db.Model.FindEntityType(typeof(Article))!.FindSkipNavigation(navigationName)!;
        var join = navigation.JoinEntityType;
        var table = StoreObjectIdentifier.Table(join.GetTableName()!, join.GetSchema());
        return new LinkTableColumns(
            Quote(table.Name),
            [Quote(navigation.ForeignKey.Properties[0].GetColumnName(table)!), Quote(navigation.Inverse!.ForeignKey.Properties[0].GetColumnName(table)!),
                Quote(nameof(Article.Listed)), Quote(nameof(Article.SortKey))]);
    }

    private CopyPlan PlanCopy()
    {
        var (table, key, columns) = ArticleColumns();
        var name = Quote(table.Name);
        var (categories, sources) = (LinkTable(nameof(Article.Categories)), LinkTable(nameof(Article.Sources)));
        return new CopyPlan(
            $"SELECT nextval(pg_get_serial_sequence('{name.Replace("'", "''", StringComparison.Ordinal)}', '{key.Replace("'", "''", StringComparison.Ordinal)}')) FROM generate_series(1, $1)",
            $"COPY {name} ({Quote(key)}, {string.Join(", ", columns.Select(c => Quote(c.GetColumnName(table)!)))}) FROM STDIN (FORMAT BINARY)",
            [.. columns.Select(c => (ValueOf(c), TypeName(c.GetColumnType())))],
            $"COPY {categories.Table} ({string.Join(", ", categories.Columns)}) FROM STDIN (FORMAT BINARY)",
            $"COPY {sources.Table} ({string.Join(", ", sources.Columns)}) FROM STDIN (FORMAT BINARY)");
    }

    /// <summary>A column type without its length or precision (<c>character varying(300)</c> is written as <c>character varying</c>).</summary>
    private static string TypeName(string columnType) => columnType.Split('(')[0].Trim();

    /// <summary>
    /// How a column's parameter value is read from an article, converted as EF Core would store it. Times are written
    /// as they stand, without a zone, as both stores keep them (see <see cref="PostgresNewsDbContext"/>).
    /// </summary>
    private static Func<Article, object> ValueOf(IProperty property)
    {
        var getter = property.GetGetter();
        var converter = property.GetTypeMapping().Converter;
        return article => getter.GetClrValue(article) switch
        {
            null => DBNull.Value,
            DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Unspecified),
            var value => (converter is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value,
        };
    }

    private static DbCommand LinkCommand(DbConnection connection, DbTransaction transaction, LinkTableColumns link)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {link.Table} ({string.Join(", ", link.Columns)}) VALUES (@article, @other, @listed, @sortKey)";
        foreach (var (name, type) in new[] { ("@article", System.Data.DbType.Int32), ("@other", System.Data.DbType.Int32), ("@listed", System.Data.DbType.Boolean), ("@sortKey", System.Data.DbType.Int64) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private sealed record Statements(DbTransaction Transaction, DbCommand Article, IReadOnlyList<Func<Article, object>> ArticleValues, DbCommand Category, DbCommand Source)
        : IDisposable
    {
        public void Dispose()
        {
            Article.Dispose();
            Category.Dispose();
            Source.Dispose();
        }
    }

    private sealed record LinkTableColumns(string Table, IReadOnlyList<string> Columns);

    /// <summary>
    /// How a server store takes a batch: its ids drawn from the table's sequence in one round trip, then the stories
    /// and their links streamed with binary COPY (the store's triggers run for each row as for an INSERT). A batch of
    /// INSERT commands held a command and a parameter per column of every story at once, most of an import's garbage,
    /// and left a 40 MB import little room.
    /// </summary>
    private sealed record CopyPlan(string NextIds, string Articles, IReadOnlyList<(Func<Article, object> Value, string Type)> Columns, string Categories, string Sources)
    {
        public async Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<Article> articles, CancellationToken cancellationToken)
        {
            await using (var next = new NpgsqlCommand(NextIds, connection) { Parameters = { new() { Value = articles.Count } } })
            await using (var ids = await next.ExecuteReaderAsync(cancellationToken))
            {
                foreach (var article in articles)
                {
                    await ids.ReadAsync(cancellationToken);
                    article.Id = checked((int)ids.GetInt64(0));
                }
            }

            await using (var rows = await connection.BeginBinaryImportAsync(Articles, cancellationToken))
            {
                foreach (var article in articles)
                {
                    await rows.StartRowAsync(cancellationToken);
                    await rows.WriteAsync(article.Id, NpgsqlDbType.Integer, cancellationToken);
                    foreach (var (valueOf, type) in Columns)
                    {
                        var value = valueOf(article);
                        await (value is DBNull ? rows.WriteNullAsync(cancellationToken) : rows.WriteAsync(value, type, cancellationToken));
                    }
                }

                await rows.CompleteAsync(cancellationToken);
            }

            await CopyLinksAsync(connection, Categories, articles, article => article.Categories.Select(c => c.Id), cancellationToken);
            await CopyLinksAsync(connection, Sources, articles, article => article.Sources.Select(s => s.Id), cancellationToken);
        }

        private static async Task CopyLinksAsync(
            NpgsqlConnection connection, string copy, IReadOnlyList<Article> articles, Func<Article, IEnumerable<int>> others, CancellationToken cancellationToken)
        {
            if (!articles.Any(article => others(article).Any()))
            {
                return;
            }

            // The link carries its story's listing copies itself, so the store's copying trigger has nothing to do.
            await using var rows = await connection.BeginBinaryImportAsync(copy, cancellationToken);
            foreach (var article in articles)
            {
                foreach (var other in others(article))
                {
                    await rows.WriteRowAsync(cancellationToken, article.Id, other, article.Listed, article.SortKey);
                }
            }

            await rows.CompleteAsync(cancellationToken);
        }
    }
}
