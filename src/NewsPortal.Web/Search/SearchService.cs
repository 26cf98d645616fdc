using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

public sealed record SearchHit(
    int Id, string Title, string Slug, string TitleHtml, string SnippetHtml, DateOnly PublishedOn, string Language,
    IReadOnlyList<NamedLink> Categories, IReadOnlyList<NamedLink> Sources);

public sealed record SearchResults(SearchQuery Query, PagedList<SearchHit> Hits, string? Problem);

public sealed record RelatedArticle(int Id, string Title, string Slug, DateOnly PublishedOn);

/// <summary>
/// Full-text search over what readers may see, on the SQLite FTS5 index kept by triggers (see the NewsroomScale
/// migration). Every search is bounded: words take the most recently added matches (at most <see cref="MaxCounted"/>
/// + 1, which FTS5 reads newest first and stops), headline matches first, and a search by filters alone walks the
/// narrowest listing for at most <see cref="PortalOptions.ScanBudget"/> stories. All SQL lives here, so another store's search
/// replaces this one class.
/// </summary>
public sealed partial class SearchService(NewsDbContext db, ArticleService articles, IOptions<PortalOptions> options, ILogger<SearchService> logger)
{
    /// <summary>Results counted exactly; beyond this a search reports "more than" and pages stop there.</summary>
    public const int MaxCounted = 1000;

    private const int RelatedPerName = 20;
    private const int RelatedByWords = 50;

    private const char MarkStart = '\u0001';
    private const char MarkEnd = '\u0002';

    // The first arguments of every query here: the Listed flag to match, and (for related stories) the article.
    private const string Listed = "{0}";
    private const string ArticleIdArg = "{1}";

    private const string HitColumns = """a."Id", a."Title", a."Slug", a."Lede", a."PublishedOn", a."Language" """;

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

        var lastPage = (MaxCounted + pageSize - 1) / pageSize;
        var number = (int)Math.Clamp(page, 1, lastPage);
        try
        {
            var rows = await HitsAsync(query, pageSize, (number - 1) * pageSize, cancellationToken);
            var total = rows.Count > 0 ? rows[0].Total : 0;
            if (rows.Count == 0 && number > 1)
            {
                // Past the last page: show the last page that has results, as a listing would.
                var first = await HitsAsync(query, 1, 0, cancellationToken);
                total = first.Count > 0 ? first[0].Total : 0;
                number = Math.Max(1, (Math.Min(total, MaxCounted) + pageSize - 1) / pageSize);
                rows = total == 0 ? [] : await HitsAsync(query, pageSize, (number - 1) * pageSize, cancellationToken);
            }

            var highlights = await HighlightsAsync(query, [.. rows.Select(r => r.Id)], cancellationToken);
            var names = await articles.NamesAsync([.. rows.Select(r => r.Id)], cancellationToken);
            var hits = rows.Select(r => new SearchHit(
                r.Id, r.Title, r.Slug,
                Highlighted(highlights.TryGetValue(r.Id, out var h) && h.Title is { } title ? title : r.Title),
                Highlighted(WithoutMarkdown(highlights.TryGetValue(r.Id, out var s) && s.Snippet is { } snippet ? snippet : r.Lede)),
                r.PublishedOn, r.Language, names.CategoriesOf(r.Id), names.SourcesOf(r.Id))).ToList();
            return new SearchResults(query, new PagedList<SearchHit>(hits, number, pageSize, total), query.Problems.FirstOrDefault());
        }
        catch (SqliteException ex) when (!SqliteCancellation.IsInterruption(ex))
        {
            // Terms are quoted, so this should not happen; if it does, the reader gets a message, not a 500.
            logger.LogWarning(ex, "Search failed for {Query}", query.Text);
            return new SearchResults(query, empty, "That search could not be run. Try fewer or simpler words.");
        }
    }

    /// <summary>The cache tags of a response showing this hit: the story and its names.</summary>
    public static IEnumerable<string> TagsOf(SearchHit hit)
        => [CacheTags.Article(hit.Id), .. hit.Categories.Select(c => CacheTags.Category(c.Id)), .. hit.Sources.Select(s => CacheTags.Source(s.Id))];

    /// <summary>The ids of the best <paramref name="limit"/> public matches, for a search's feed.</summary>
    public async Task<IReadOnlyList<int>> MatchingIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken = default)
    {
        if (query.Terms.Count == 0 && !query.HasFilters)
        {
            return [];
        }

        try
        {
            return [.. (await HitsAsync(query, limit, 0, cancellationToken)).Select(r => r.Id)];
        }
        catch (SqliteException ex) when (!SqliteCancellation.IsInterruption(ex))
        {
            logger.LogWarning(ex, "Search feed failed for {Query}", query.Text);
            return [];
        }
    }

    /// <summary>
    /// Up to five public stories most like this one: sharing its sources (weighted most), its categories, and the
    /// words of its headline. The candidates are bounded whatever the size of the store (the newest 20 of each of its
    /// sources and categories, the newest 50 with a headline word in common) and scored here.
    /// </summary>
    public async Task<IReadOnlyList<RelatedArticle>> RelatedAsync(ArticleDetails article, CancellationToken cancellationToken = default)
    {
        var args = new List<object> { true, article.Id };
        string Arg(object value)
        {
            args.Add(value);
            return "{" + (args.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        var sourceIds = article.Sources.Select(s => s.Id).Where(id => id > 0).Take(5).ToList();
        var categoryIds = article.Categories.Select(c => c.Id).Where(id => id > 0).Take(5).ToList();
        var candidates = new List<string>();
        foreach (var (table, column, id) in sourceIds.Select(id => ("ArticleSources", "SourcesId", id)).Concat(categoryIds.Select(id => ("ArticleCategories", "CategoriesId", id))))
        {
            candidates.Add($"""
                SELECT "Id" FROM (SELECT "ArticlesId" AS "Id" FROM "{table}" WHERE "{column}" = {Arg(id)} AND "Listed" = {Listed}
                    ORDER BY "SortKey" DESC, "ArticlesId" DESC LIMIT {RelatedPerName})
                """);
        }

        var words = WordsForRelated(article.Title);
        if (words.Count > 0)
        {
            // Headline to headline, newest first: the index stops after a few, however common the words.
            var terms = Arg("\"Title\" : (" + string.Join(" OR ", words.Select(w => $"\"{w}\"")) + ")");
            candidates.Add($"""
                SELECT "Id" FROM (SELECT rowid AS "Id" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {terms} ORDER BY rowid DESC LIMIT {RelatedByWords})
                """);
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        string Shared(string table, string column, IReadOnlyList<int> ids) => ids.Count == 0 ? "0"
            : $"""(SELECT count(*) FROM "{table}" x WHERE x."ArticlesId" = a."Id" AND x."{column}" IN ({string.Join(", ", ids.Select(id => Arg(id)))}))""";
        var sql = $"""
            -- bounded: merges at most {((sourceIds.Count + categoryIds.Count) * RelatedPerName) + RelatedByWords} candidates
            SELECT a."Id", a."Title", a."Slug", a."PublishedOn", a."SortKey",
                {Shared("ArticleSources", "SourcesId", sourceIds)} AS "SharedSources", {Shared("ArticleCategories", "CategoriesId", categoryIds)} AS "SharedCategories"
            FROM "Articles" a
            WHERE a."Id" IN ({string.Join(" UNION ", candidates)}) AND a."Id" <> {ArticleIdArg} AND a."Listed" = {Listed}
            """;
        List<RelatedCandidate> found;
        try
        {
            found = await db.Database.SqlQueryRaw<RelatedCandidate>(sql, [.. args]).ToListAsync(cancellationToken);
        }
        catch (SqliteException ex) when (!SqliteCancellation.IsInterruption(ex))
        {
            logger.LogWarning(ex, "Related articles failed for {Slug}", article.Slug);
            return [];
        }

        var headline = words.Select(Fold).ToHashSet(StringComparer.Ordinal);
        return [.. found
            .Select(c => (Candidate: c, Score: 2 * c.SharedSources + c.SharedCategories + 3 * WordsForRelated(c.Title).Count(w => headline.Contains(Fold(w)))))
            .Where(c => c.Score > 0)
            .OrderByDescending(c => c.Score).ThenByDescending(c => c.Candidate.SortKey).ThenByDescending(c => c.Candidate.Id)
            .Take(5)
            .Select(c => new RelatedArticle(c.Candidate.Id, c.Candidate.Title, c.Candidate.Slug, c.Candidate.PublishedOn))];
    }

    /// <summary>A word as the search index compares it: without case or accents.</summary>
    private static string Fold(string word)
        => new string([.. word.Normalize(System.Text.NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)])
            .ToLowerInvariant();

    private static List<string> WordsForRelated(string title)
        => [.. WordPattern().Matches(title).Select(m => m.Value).Where(w => w.Length >= 4 && !StopWords.Contains(w)).Distinct(StringComparer.OrdinalIgnoreCase).Take(8)];

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "after", "again", "about", "against", "amid", "from", "have", "into", "over", "said", "says", "than", "that", "their",
        "there", "they", "this", "three", "with", "when", "where", "which", "while", "will", "would", "years",
    };

    /// <summary>One page of a search's hits, each with the number of matches (up to MaxCounted + 1) in "Total".</summary>
    private async Task<List<HitRow>> HitsAsync(SearchQuery query, int take, int skip, CancellationToken cancellationToken)
    {
        var args = new List<object> { true };
        string Arg(object value)
        {
            args.Add(value);
            return "{" + (args.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        var sourceIds = new List<int>();
        foreach (var name in query.Sources)
        {
            if (await NameIdAsync(db.Sources, db.SourceAliases, name, cancellationToken) is not { } id)
            {
                // No such source: nothing can match.
                return [];
            }

            sourceIds.Add(id);
        }

        var categoryIds = new List<int>();
        foreach (var name in query.Categories)
        {
            if (await NameIdAsync(db.Categories, db.CategoryAliases, name, cancellationToken) is not { } id)
            {
                return [];
            }

            categoryIds.Add(id);
        }

        var conditions = new List<string>();
        var match = query.ToFtsMatch();
        var matches = "";
        Listing? driver = null;
        if (match is null)
        {
            // No words: walk the narrowest listing; the rest is checked on each story reached.
            (driver, var driverName) = categoryIds.Count > 0 ? (Listing.InCategory(categoryIds[0]), (IsSource: false, Id: categoryIds[0]))
                : sourceIds.Count > 0 ? (Listing.FromSource(sourceIds[0]), (IsSource: true, Id: sourceIds[0]))
                : query.Language is { } tag && !tag.Contains('-') ? (Listing.InLanguage(tag), default)
                : (Listing.All, default);
            (driverName.IsSource ? sourceIds : categoryIds).Remove(driverName.Id);
            if (query.ExclusionMatch() is { } exclusion)
            {
                conditions.Add($"""NOT EXISTS (SELECT 1 FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {Arg(exclusion)} AND rowid = a."Id")""");
            }
        }

        foreach (var id in sourceIds)
        {
            conditions.Add($"""EXISTS (SELECT 1 FROM "ArticleSources" x WHERE x."ArticlesId" = a."Id" AND x."SourcesId" = {Arg(id)})""");
        }

        foreach (var id in categoryIds)
        {
            conditions.Add($"""EXISTS (SELECT 1 FROM "ArticleCategories" x WHERE x."ArticlesId" = a."Id" AND x."CategoriesId" = {Arg(id)})""");
        }

        if (query.Language is { } language && driver?.Kind != ListingKind.Language)
        {
            conditions.Add($"""(lower(a."Language") = {Arg(language)} OR lower(a."Language") LIKE {Arg(language + "-%")})""");
        }

        var (minKey, maxKey) = (query.After is { } after ? ListingOrder.StartOf(after.AddDays(1)) : 0, query.Before is { } before ? ListingOrder.StartOf(before) : long.MaxValue);
        string filtered;
        if (match is not null)
        {
            if (query.After is not null || query.Before is not null)
            {
                conditions.Add($"""a."SortKey" >= {Arg(minKey)} AND a."SortKey" < {Arg(maxKey)}""");
            }

            // FTS5 reads matches newest first and stops after the thousand it counts. They are ranked without
            // bm25, whose weighting counts every story holding each word (work that grows with the store): headline
            // matches first, then those in the first paragraph, then the rest, each newest first. Those two are looked
            // for only as far back as the matches reach, so they cost no more than the matches themselves.
            matches = $"""
                WITH "Matches" AS MATERIALIZED (
                    SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {Arg(match)} ORDER BY rowid DESC LIMIT {Arg(MaxCounted + 1)})
                """;
            string Within(string column) => $"""
                SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {Arg(query.ToFtsMatchIn(column)!)} AND rowid >= (SELECT min(rowid) FROM "Matches")
                """;
            filtered = $"""
                SELECT a."Id", CASE WHEN a."Id" IN ({Within("Title")}) THEN 0 WHEN a."Id" IN ({Within("Lede")}) THEN 1 ELSE 2 END AS "Order1",
                    -a."SortKey" AS "Order2"
                FROM "Matches" m CROSS JOIN "Articles" a ON a."Id" = m.rowid
                WHERE a."Listed" = {Listed}{string.Concat(conditions.Select(c => " AND " + c))}
                """;
        }
        else
        {
            var keys = query.After is null && query.Before is null ? ((long, long)?)null : (minKey, maxKey);
            var walk = driver!.Walk(ArticleService.KeyColumns, null, older: true, conditions.Count == 0 ? MaxCounted + 1 : options.Value.ScanBudget, out var walkArgs, keys: keys);
            var offset = args.Count;
            args.AddRange(walkArgs);
            filtered = $"""
                SELECT a."Id", -d."SortKey" AS "Order1", -d."Id" AS "Order2" FROM ({ArticleService.Renumber(walk, offset)}) d CROSS JOIN "Articles" a ON a."Id" = d."Id"
                WHERE a."Listed" = {Listed}{string.Concat(conditions.Select(c => " AND " + c))}
                """;
        }

        var sql = $"""
            -- bounded: counts and sorts at most {Math.Max(options.Value.ScanBudget, MaxCounted + 1)} stories
            {matches}
            SELECT {HitColumns}, f."Total" FROM (
                SELECT "Id", "Order1", "Order2", count(*) OVER () AS "Total" FROM (
                    SELECT * FROM ({filtered}) ORDER BY "Order1", "Order2" LIMIT {Arg(MaxCounted + 1)}
                )
            ) f CROSS JOIN "Articles" a ON a."Id" = f."Id"
            ORDER BY f."Order1", f."Order2" LIMIT {Arg(take)} OFFSET {Arg(skip)}
            """;
        return await db.Database.SqlQueryRaw<HitRow>(sql, [.. args]).ToListAsync(cancellationToken);
    }

    /// <summary>The highlighted title and the snippet of each hit, from the index, for a search with words.</summary>
    private async Task<Dictionary<int, (string? Title, string? Snippet)>> HighlightsAsync(SearchQuery query, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        if (query.ToFtsMatch() is not { } match || ids.Count == 0)
        {
            return [];
        }

        // One look-up by rowid a hit: FTS5 seeks each word's entries to it. (With "rowid IN (…)" it would read every match.)
        var sql = string.Join(" UNION ALL ", ids.Select((_, i) => $$"""
            SELECT rowid AS "Id", highlight("ArticleSearch", 0, char(1), char(2)) AS "Title", snippet("ArticleSearch", -1, char(1), char(2), '…', 28) AS "Snippet"
            FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {0} AND rowid = {{{i + 1}}}
            """));
        var rows = await db.Database.SqlQueryRaw<HighlightRow>(sql, [match, .. ids.Cast<object>()]).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (r.Title, r.Snippet));
    }

    /// <summary><c>source:reuters</c> names a slug, a name ignoring case and spacing, or an alias; the first that exists.</summary>
    private static async Task<int?> NameIdAsync<TName, TAlias>(IQueryable<TName> names, IQueryable<TAlias> aliases, string value, CancellationToken cancellationToken)
        where TName : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var (slug, key) = (Slug.From(value, "-"), NameKey.For(value));
        return await names.Where(n => n.Slug == slug).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await names.Where(n => n.NameKey == key).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await aliases.Where(a => a.NameKey == key || a.Slug == slug).Select(a => (int?)a.TargetId).FirstOrDefaultAsync(cancellationToken);
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

    private sealed record RelatedCandidate(int Id, string Title, string Slug, DateOnly PublishedOn, long SortKey, int SharedSources, int SharedCategories);

    private sealed record HitRow(int Id, string Title, string Slug, string Lede, DateOnly PublishedOn, string Language, int Total);

    private sealed record HighlightRow(int Id, string? Title, string? Snippet);

}
