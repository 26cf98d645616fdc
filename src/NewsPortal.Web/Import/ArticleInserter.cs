using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Data.Postgres;

namespace NewsPortal.Web.Import;

/// <summary>
/// Inserts new articles and their category and source links with commands prepared once and reused.
/// EF Core's SQLite provider sends one statement per row from SaveChanges, which made a 10,000-story import
/// spend most of its time in statement preparation (see the benchmark section of the README). Columns and
/// parameter formats come from the EF model, so rows are stored exactly as SaveChanges would store them.
/// </summary>
public sealed class ArticleInserter(NewsDbContext db)
{
    private Statements? _statements;

    /// <summary>Inserts the articles inside the current transaction, setting each one's Id.</summary>
    public async Task InsertAsync(IReadOnlyList<Article> articles, CancellationToken cancellationToken)
    {
        if (articles.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Articles are inserted only inside an import transaction.");
        if (_statements?.Transaction != transaction)
        {
            _statements?.Dispose();
            _statements = Prepare(transaction);
        }

        var statements = _statements;
        var sqlite = db.Database.IsSqlite();

        // The store's triggers leave the batch's counts (and on SQLite its search index) to be added once, below.
        await ExecuteAsync(transaction, sqlite
            ? """UPDATE "SearchIndexing" SET "Deferred" = 1"""
            : $"SELECT set_config('{PostgresSchema.CountsDeferred}', 'on', true)", cancellationToken);

        if (sqlite)
        {
            // SQLite runs each statement on the calling thread anyway; the synchronous calls save an allocation a row.
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
            await InsertInTwoRoundTripsAsync(transaction, statements, articles, cancellationToken);
        }

        if (sqlite)
        {
            // The batch's ids are contiguous: SQLite lets one writer at a time, and this transaction is it.
            await ExecuteAsync(transaction, $"""
                INSERT INTO "ArticleSearch"(rowid, "Title", "Lede", "BodyText")
                SELECT "Id", "Title", "Lede", "BodyText" FROM "Articles" WHERE "Id" BETWEEN {articles.Min(a => a.Id)} AND {articles.Max(a => a.Id)};
                """, cancellationToken);
        }

        await CountAsync(transaction, articles.Where(a => a.Listed).ToList(), threads: !sqlite, cancellationToken);
        await ExecuteAsync(transaction, sqlite
            ? """UPDATE "SearchIndexing" SET "Deferred" = 0"""
            : $"SELECT set_config('{PostgresSchema.CountsDeferred}', 'off', true)", cancellationToken);
    }

    /// <summary>
    /// What the count triggers would have added for these listed stories, added once per listing (see the NewsroomScale
    /// migration; on PostgreSQL, <see cref="PostgresSchema.CountsDeferred"/>). SQLite's thread trigger still counts
    /// row by row, which costs it nothing like PostgreSQL's row versions.
    /// </summary>
    private async Task CountAsync(DbTransaction transaction, IReadOnlyList<Article> listed, bool threads, CancellationToken cancellationToken)
    {
        if (listed.Count == 0)
        {
            return;
        }

        var counts = listed.SelectMany(a => new[] { ListingCount.All, ListingCount.Month(a.PublishedOn.Year, a.PublishedOn.Month), ListingCount.Language(a.Language) })
            .CountBy(key => key);
        foreach (var (key, count) in counts)
        {
            await ExecuteAsync(transaction, """
                INSERT INTO "ListingCounts" ("Key", "ArticleCount") VALUES (@key, @count)
                ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ListingCounts"."ArticleCount" + excluded."ArticleCount";
                """, cancellationToken, ("@key", key), ("@count", count));
        }

        foreach (var (id, count) in listed.SelectMany(a => a.Categories.Select(c => c.Id)).CountBy(id => id))
        {
            await ExecuteAsync(transaction, """UPDATE "Categories" SET "ArticleCount" = "ArticleCount" + @count WHERE "Id" = @id""", cancellationToken, ("@id", id), ("@count", count));
        }

        foreach (var (id, count) in listed.SelectMany(a => a.Sources.Select(s => s.Id)).CountBy(id => id))
        {
            await ExecuteAsync(transaction, """UPDATE "Sources" SET "ArticleCount" = "ArticleCount" + @count WHERE "Id" = @id""", cancellationToken, ("@id", id), ("@count", count));
        }

        foreach (var thread in threads ? listed.Where(a => a.ThreadId is not null).GroupBy(a => a.ThreadId!.Value) : [])
        {
            await ExecuteAsync(transaction, """
                UPDATE "Threads" SET "ArticleCount" = "ArticleCount" + @count, "LatestSortKey" = GREATEST("LatestSortKey", @latest) WHERE "Id" = @id
                """, cancellationToken, ("@id", thread.Key), ("@count", thread.Count()), ("@latest", thread.Max(a => a.SortKey)));
        }
    }

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

    /// <summary>
    /// A server store answers each statement across the network: the batch's stories go in one round trip, their
    /// links (which need the stories' ids) in a second, rather than half a dozen round trips a story.
    /// </summary>
    private static async Task InsertInTwoRoundTripsAsync(DbTransaction transaction, Statements statements, IReadOnlyList<Article> articles, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await using (var stories = connection.CreateBatch())
        {
            stories.Transaction = transaction;
            foreach (var article in articles)
            {
                stories.BatchCommands.Add(Copy(stories, statements.Article, statements.ArticleValues.Select(value => value(article))));
            }

            await using var ids = await stories.ExecuteReaderAsync(cancellationToken);
            foreach (var article in articles)
            {
                await ids.ReadAsync(cancellationToken);
                article.Id = ids.GetInt32(0);
                await ids.NextResultAsync(cancellationToken);
            }
        }

        await using var links = connection.CreateBatch();
        links.Transaction = transaction;
        foreach (var article in articles)
        {
            foreach (var (command, ids) in new[] { (statements.Category, article.Categories.Select(c => c.Id)), (statements.Source, article.Sources.Select(s => s.Id)) })
            {
                foreach (var id in ids)
                {
                    links.BatchCommands.Add(Copy(links, command, [article.Id, id, article.Listed, article.SortKey]));
                }
            }
        }

        if (links.BatchCommands.Count > 0)
        {
            await links.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A prepared command's statement and parameter types, with these values, as one command of a batch.</summary>
    private static DbBatchCommand Copy(DbBatch batch, DbCommand template, IEnumerable<object> values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = template.CommandText;
        foreach (var (parameter, value) in template.Parameters.Cast<DbParameter>().Zip(values))
        {
            var copy = command.CreateParameter();
            copy.ParameterName = parameter.ParameterName;
            copy.DbType = parameter.DbType;
            copy.Value = value;
            command.Parameters.Add(copy);
        }

        return command;
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
        var article = db.Model.FindEntityType(typeof(Article))!;
        var table = StoreObjectIdentifier.Table(article.GetTableName()!, article.GetSchema());
        var columns = article.GetProperties().Where(p => !p.IsPrimaryKey()).ToList();
        var key = article.FindPrimaryKey()!.Properties[0].GetColumnName(table)!;

        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName(table)!)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) RETURNING {Quote(key)}";
        for (var i = 0; i < columns.Count; i++)
        {
            insert.Parameters.Add(columns[i].GetRelationalTypeMapping().CreateParameter(insert, $"@p{i}", null, columns[i].IsNullable));
        }

        // On a server store these are only the templates of batched commands (see InsertInTwoRoundTripsAsync):
        // preparing them there would cost round trips for statements never run as such.
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            insert.Prepare();
        }

        return new Statements(
            transaction, insert, [.. columns.Select(ValueOf)],
            LinkCommand(connection, transaction, article.FindSkipNavigation(nameof(Article.Categories))!, sqlite),
            LinkCommand(connection, transaction, article.FindSkipNavigation(nameof(Article.Sources))!, sqlite));
    }

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

    private static DbCommand LinkCommand(DbConnection connection, DbTransaction transaction, ISkipNavigation navigation, bool prepare)
    {
        var join = navigation.JoinEntityType;
        var table = StoreObjectIdentifier.Table(join.GetTableName()!, join.GetSchema());
        var articleColumn = navigation.ForeignKey.Properties[0].GetColumnName(table)!;
        var otherColumn = navigation.Inverse!.ForeignKey.Properties[0].GetColumnName(table)!;
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {Quote(table.Name)} ({Quote(articleColumn)}, {Quote(otherColumn)}, {Quote(nameof(Article.Listed))}, {Quote(nameof(Article.SortKey))}) "
            + "VALUES (@article, @other, @listed, @sortKey)";
        foreach (var (name, type) in new[] { ("@article", System.Data.DbType.Int32), ("@other", System.Data.DbType.Int32), ("@listed", System.Data.DbType.Boolean), ("@sortKey", System.Data.DbType.Int64) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        if (prepare)
        {
            command.Prepare();
        }

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
}
