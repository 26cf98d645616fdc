using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

public sealed record SearchHit(
    int Id, string Title, string Slug, string TitleHtml, string SnippetHtml, DateOnly PublishedOn, string Language,
    IReadOnlyList<NamedLink> Categories, IReadOnlyList<NamedLink> Sources);

public sealed record SearchResults(SearchQuery Query, PagedList<SearchHit> Hits, string? Problem);

public sealed record RelatedArticle(string Title, string Slug, DateOnly PublishedOn);

/// <summary>
/// Ranked full-text search over what readers may see, on the SQLite FTS5 index kept by triggers (see the
/// FullTextSearch migration). All SQL lives here, so another store's search replaces this one class.
/// </summary>
public sealed partial class SearchService(NewsDbContext db, TimeProvider clock, IOptions<PortalOptions> options, ILogger<SearchService> logger)
{
    /// <summary>Results counted exactly; beyond this a search reports "more than" and pages stop there.</summary>
    public const int MaxCounted = 1000;

    private const char MarkStart = '\u0001';
    private const char MarkEnd = '\u0002';

    public async Task<SearchResults> SearchAsync(SearchQuery query, long page, CancellationToken cancellationToken = default)
    {
        var pageSize = options.Value.PageSize;
        var empty = new PagedList<SearchHit>([], 1, pageSize, 0);
        if (query.IsEmpty)
        {
            return new SearchResults(query, empty, query.Problems.FirstOrDefault());
        }

        if (query.Terms.Count == 0 && !query.HasFilters)
        {
            return new SearchResults(query, empty, "Add a word to search for: a search cannot only exclude words.");
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var sql = BuildSql(query);
            // Counting every match of a common word costs more than finding the best twenty; past MaxCounted we say "more than".
            await using var count = Command(connection, $"SELECT count(*) FROM (SELECT 1 FROM {sql.From} WHERE {sql.Where} LIMIT {MaxCounted + 1})", sql.Parameters);
            var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            var number = PageNumber.Clamp(page, total, pageSize);

            var hits = new List<SearchHit>(pageSize);
            await using (var select = Command(connection, $"""
                SELECT a."Id", a."Title", a."Slug", a."PublishedOn", a."Language", {sql.TitleHighlight}, {sql.Snippet}
                FROM {sql.From} WHERE {sql.Where} ORDER BY {sql.OrderBy} LIMIT @take OFFSET @skip
                """, [.. sql.Parameters, new("@take", pageSize), new("@skip", (number - 1) * pageSize)]))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var title = reader.GetString(1);
                    hits.Add(new SearchHit(
                        reader.GetInt32(0), title, reader.GetString(2),
                        Highlighted(reader.IsDBNull(5) ? title : reader.GetString(5)),
                        Highlighted(WithoutMarkdown(reader.IsDBNull(6) ? "" : reader.GetString(6))),
                        DateOnly.ParseExact(reader.GetString(3), "yyyy-MM-dd", CultureInfo.InvariantCulture), reader.GetString(4), [], []));
                }
            }

            return new SearchResults(query, new PagedList<SearchHit>(await WithLinksAsync(hits, cancellationToken), number, pageSize, total), query.Problems.FirstOrDefault());
        }
        catch (SqliteException ex)
        {
            // Terms are quoted, so this should not happen; if it does, the reader gets a message, not a 500.
            logger.LogWarning(ex, "Search failed for {Query}", query.Text);
            return new SearchResults(query, empty, "That search could not be run. Try fewer or simpler words.");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The ids of the best <paramref name="limit"/> public matches, for a search's feed.</summary>
    public async Task<IReadOnlyList<int>> MatchingIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken = default)
    {
        if (query.Terms.Count == 0 && !query.HasFilters)
        {
            return [];
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var sql = BuildSql(query);
            await using var select = Command(db.Database.GetDbConnection(),
                $"""SELECT a."Id" FROM {sql.From} WHERE {sql.Where} ORDER BY {sql.OrderBy} LIMIT @take""", [.. sql.Parameters, new("@take", limit)]);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var ids = new List<int>(limit);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt32(0));
            }

            return ids;
        }
        catch (SqliteException ex)
        {
            logger.LogWarning(ex, "Search feed failed for {Query}", query.Text);
            return [];
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Up to five public stories most like this one: sharing its sources (weighted most), its categories, and the
    /// words of its headline. Candidates are capped per signal, so this stays quick on a large store.
    /// </summary>
    public async Task<IReadOnlyList<RelatedArticle>> RelatedAsync(ArticleDetails article, CancellationToken cancellationToken = default)
    {
        var words = WordsForRelated(article.Title);
        var parameters = new List<SqliteParameter>
        {
            new("@id", article.Id),
            new("@now", clock.GetUtcNow().UtcDateTime),
            new("@terms", words.Count == 0 ? "" : string.Join(" OR ", words.Select(w => $"\"{w}\""))),
        };
        var termsCandidates = words.Count == 0 ? "" : """
            UNION SELECT "Id" FROM (SELECT rowid AS "Id" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH @terms ORDER BY rank LIMIT 50)
            """;
        var sql = $"""
            WITH "Candidates"("Id") AS (
                SELECT "Id" FROM (SELECT x."ArticlesId" AS "Id" FROM "ArticleSources" x
                    WHERE x."SourcesId" IN (SELECT "SourcesId" FROM "ArticleSources" WHERE "ArticlesId" = @id) ORDER BY x."ArticlesId" DESC LIMIT 50)
                UNION SELECT "Id" FROM (SELECT x."ArticlesId" AS "Id" FROM "ArticleCategories" x
                    WHERE x."CategoriesId" IN (SELECT "CategoriesId" FROM "ArticleCategories" WHERE "ArticlesId" = @id) ORDER BY x."ArticlesId" DESC LIMIT 50)
                {termsCandidates}
            )
            SELECT a."Title", a."Slug", a."PublishedOn",
                2 * (SELECT count(*) FROM "ArticleSources" x WHERE x."ArticlesId" = a."Id"
                        AND x."SourcesId" IN (SELECT "SourcesId" FROM "ArticleSources" WHERE "ArticlesId" = @id))
                + (SELECT count(*) FROM "ArticleCategories" x WHERE x."ArticlesId" = a."Id"
                        AND x."CategoriesId" IN (SELECT "CategoriesId" FROM "ArticleCategories" WHERE "ArticlesId" = @id))
                + {(words.Count == 0 ? "0" : """3 * (a."Id" IN (SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH @terms ORDER BY rank LIMIT 50))""")} AS "Score"
            FROM "Candidates" c JOIN "Articles" a ON a."Id" = c."Id"
            WHERE a."Id" <> @id AND a."DeletedAtUtc" IS NULL AND a."Status" IN ('Published', 'Scheduled') AND (a."PublishAtUtc" IS NULL OR a."PublishAtUtc" <= @now)
            ORDER BY "Score" DESC, a."PublishedOn" DESC, a."Id" DESC
            LIMIT 5
            """;

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Command(db.Database.GetDbConnection(), sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var related = new List<RelatedArticle>();
            while (await reader.ReadAsync(cancellationToken))
            {
                related.Add(new RelatedArticle(reader.GetString(0), reader.GetString(1), DateOnly.ParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture)));
            }

            return related;
        }
        catch (SqliteException ex)
        {
            logger.LogWarning(ex, "Related articles failed for {Slug}", article.Slug);
            return [];
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static List<string> WordsForRelated(string title)
        => [.. WordPattern().Matches(title).Select(m => m.Value).Where(w => w.Length >= 4 && !StopWords.Contains(w)).Distinct(StringComparer.OrdinalIgnoreCase).Take(8)];

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "after", "again", "about", "against", "amid", "from", "have", "into", "over", "said", "says", "than", "that", "their",
        "there", "they", "this", "three", "with", "when", "where", "which", "while", "will", "would", "years",
    };

    private SqlParts BuildSql(SearchQuery query)
    {
        var parameters = new List<SqliteParameter> { new("@now", clock.GetUtcNow().UtcDateTime) };
        var where = new List<string>
        {
            """a."DeletedAtUtc" IS NULL AND a."Status" IN ('Published', 'Scheduled') AND (a."PublishAtUtc" IS NULL OR a."PublishAtUtc" <= @now)""",
        };
        var match = query.ToFtsMatch();
        string from, orderBy, titleHighlight, snippet;
        if (match is not null)
        {
            from = """ "ArticleSearch" JOIN "Articles" a ON a."Id" = "ArticleSearch".rowid """;
            where.Add(""" "ArticleSearch" MATCH @match """);
            parameters.Add(new("@match", match));
            // The index's own rank (bm25 weighting titles, then ledes, then bodies; see the FullTextSearch migration):
            // FTS5 sorts by it before the join, so a page of results stops after 20 rows however many match.
            orderBy = """ "ArticleSearch".rank""";
            titleHighlight = """highlight("ArticleSearch", 0, char(1), char(2))""";
            snippet = """snippet("ArticleSearch", -1, char(1), char(2), '…', 28)""";
        }
        else
        {
            from = """ "Articles" a """;
            orderBy = """a."PublishedOn" DESC, a."Id" DESC""";
            titleHighlight = "NULL";
            snippet = """a."Lede" """;
            if (query.ExclusionMatch() is { } exclusion)
            {
                where.Add(""" a."Id" NOT IN (SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH @exclude) """);
                parameters.Add(new("@exclude", exclusion));
            }
        }

        AddNameFilters(query.Sources, "ArticleSources", "SourcesId", "Sources", "s", where, parameters);
        AddNameFilters(query.Categories, "ArticleCategories", "CategoriesId", "Categories", "c", where, parameters);
        if (query.Language is { } language)
        {
            where.Add("""(a."Language" = @lang COLLATE NOCASE OR a."Language" LIKE @langPrefix)""");
            parameters.Add(new("@lang", language));
            parameters.Add(new("@langPrefix", language + "-%"));
        }

        if (query.Before is { } before)
        {
            where.Add("""a."PublishedOn" < @before""");
            parameters.Add(new("@before", before));
        }

        if (query.After is { } after)
        {
            where.Add("""a."PublishedOn" > @after""");
            parameters.Add(new("@after", after));
        }

        return new SqlParts(from, string.Join(" AND ", where), orderBy, titleHighlight, snippet, parameters);
    }

    /// <summary><c>source:reuters</c> matches a slug, a name ignoring case and spacing, or an alias.</summary>
    private static void AddNameFilters(
        IReadOnlyList<string> values, string joinTable, string joinColumn, string table, string prefix, List<string> where, List<SqliteParameter> parameters)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var (slug, key) = ($"@{prefix}slug{i}", $"@{prefix}key{i}");
            var aliases = table == "Sources" ? "SourceAliases" : "CategoryAliases";
            where.Add($"""
                EXISTS (SELECT 1 FROM "{joinTable}" x JOIN "{table}" t ON t."Id" = x."{joinColumn}"
                        WHERE x."ArticlesId" = a."Id" AND (t."Slug" = {slug} OR t."NameKey" = {key}
                            OR t."Id" IN (SELECT "TargetId" FROM "{aliases}" WHERE "NameKey" = {key} OR "Slug" = {slug})))
                """);
            parameters.Add(new(slug, Slug.From(values[i], "-")));
            parameters.Add(new(key, NameKey.For(values[i])));
        }
    }

    private async Task<List<SearchHit>> WithLinksAsync(List<SearchHit> hits, CancellationToken cancellationToken)
    {
        var ids = hits.Select(h => h.Id).ToList();
        var links = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new
            {
                a.Id,
                Categories = a.Categories.OrderBy(c => c.Name).Select(c => new NamedLink(c.Name, c.Slug)).ToList(),
                Sources = a.Sources.OrderBy(s => s.Name).Select(s => new NamedLink(s.Name, s.Slug)).ToList(),
            })
            .AsSplitQuery()
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        return [.. hits.Select(h => links.TryGetValue(h.Id, out var l) ? h with { Categories = l.Categories, Sources = l.Sources } : h)];
    }

    private static DbCommand Command(DbConnection connection, string sql, IEnumerable<SqliteParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.Value));
        }

        return command;
    }

    /// <summary>Encodes stored text (untrusted) for HTML, then turns the match markers into &lt;mark&gt;.</summary>
    private static string Highlighted(string text)
        => WebUtility.HtmlEncode(text).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal).Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    /// <summary>Snippets come from the Markdown source: drop link targets and emphasis marks so they read as text.</summary>
    private static string WithoutMarkdown(string text) => MarkdownNoise().Replace(MarkdownLinkTarget().Replace(text, ""), "");

    [GeneratedRegex(@"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLinkTarget();

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}\p{N}]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\*\*|__|(?<![\w])\[|`")]
    private static partial Regex MarkdownNoise();

    private sealed record SqlParts(string From, string Where, string OrderBy, string TitleHighlight, string Snippet, List<SqliteParameter> Parameters);
}
