using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Api;

public sealed record ApiArticleFilter(string? Category, string? Source, string? Language, string? Status, DateOnly? From, DateOnly? To, string? Text);

/// <summary>
/// The API's reads. Lists page by cursor on the listings' order (newest first), so a page never repeats or skips an
/// article because others were added meanwhile; each page is one index walk, as the site's listings are.
/// </summary>
public sealed class ArticleApiService(
    NewsDbContext db, ArticleService articles, Search.SearchService search, Admin.ArticleAdminService admin, MarkdownRenderer markdown, TimeProvider clock,
    IOptions<PortalOptions> options)
{
    public const int MaxLimit = 100;

    /// <summary>Text filters (<c>q</c>) look among this many of the most recently added matches (of those passing the other filters), as search does.</summary>
    public const int TextMatches = Search.SearchService.MaxCounted;

    private const string SummaryColumns = """
        a."Id", a."SortKey", a."Slug", a."Title", a."Lede", a."PublishedOn", a."DocumentDate", a."Language", a."PublishAtUtc", a."UpdatedAtUtc"
        """;

    /// <summary>Lists articles; <paramref name="editor"/> may see every status, others only what is public.</summary>
    public async Task<ApiPage<ApiArticleSummary>?> ListAsync(ApiArticleFilter filter, string? cursor, int limit, bool editor, CancellationToken cancellationToken)
    {
        ListingCursor? position = null;
        if (cursor is not null)
        {
            if (!TryReadCursor(cursor, out var read))
            {
                return null;
            }

            position = read;
        }

        if (editor)
        {
            return await EditorListAsync(filter, position, limit, cancellationToken);
        }

        var keys = ListingOrder.Between(filter.From, filter.To);

        int? categoryId = null, sourceId = null;
        if (!string.IsNullOrWhiteSpace(filter.Category)
            && (categoryId = await db.Categories.Where(c => c.Slug == filter.Category).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken)) is null)
        {
            return new ApiPage<ApiArticleSummary>([], null);
        }

        if (!string.IsNullOrWhiteSpace(filter.Source)
            && (sourceId = await db.Sources.Where(s => s.Slug == filter.Source).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken)) is null)
        {
            return new ApiPage<ApiArticleSummary>([], null);
        }

        var language = string.IsNullOrWhiteSpace(filter.Language) ? null : filter.Language.Trim().ToLowerInvariant();
        if (language is not null && !Import.SnippetRules.IsLanguageTag(language))
        {
            return new ApiPage<ApiArticleSummary>([], null);
        }

        var match = string.IsNullOrWhiteSpace(filter.Text) ? null : Search.SearchQuery.Parse(filter.Text) with { Excluded = [], NewestFirst = true };
        if (match is { Terms.Count: 0 })
        {
            return new ApiPage<ApiArticleSummary>([], null);
        }

        // Words: the newest matches as search finds them, within the category, source, language and dates asked for,
        // read by id with every filter checked again: cheap on at most a thousand ids, and exact where the search takes a
        // language's variants too (pt finds pt-BR). Else the narrowest listing is walked, and whatever else was asked
        // is checked on each story reached.
        var (listing, conditions) = Listing.Narrowest(null, categoryId, sourceId, language, everyStory: match is not null);
        List<SummaryRow> rows;
        ListingCursor? resume = null;
        var olderMatchesLeftOut = false;
        if (match is not null)
        {
            var words = match.Within(categoryId is null ? null : filter.Category, sourceId is null ? null : filter.Source, language, filter.From, filter.To);
            var (found, stopped) = await search.WithinTimeLimitAsync(async budget =>
            {
                if (!words.HasFilters)
                {
                    // Words alone: their newest matches in one statement, at a third of the cost; whether there were
                    // more is asked on the last page only.
                    var newest = await NewestMatchesAsync(words, conditions, keys, position, limit, budget);
                    return (Rows: newest, LeftOut: newest.Count <= limit && await MoreMatchesThanLookedThroughAsync(words, budget));
                }

                // Looked for with the words, so that the newest matches are of those: an old match in a small category is reached.
                var ids = await search.MatchingIdsAsync(words, TextMatches + 1, budget);
                var matches = await MatchesAmongAsync([.. ids.Take(TextMatches)], conditions, keys, position, limit, budget);
                return (Rows: matches, LeftOut: matches.Count <= limit && ids.Count > TextMatches);
            }, words, cancellationToken);
            if (stopped)
            {
                return new ApiPage<ApiArticleSummary>([], null) { Stopped = true };
            }

            (rows, olderMatchesLeftOut) = found;
        }
        else
        {
            var budget = options.Value.ScanBudget;
            if (conditions.Count == 0)
            {
                rows = await articles.WalkAsync<SummaryRow>(listing, SummaryColumns, position, older: true, limit + 1, cancellationToken, keys: keys);
            }
            else
            {
                // At most this far: a rare combination answers with fewer items and a cursor to go on from.
                var walk = listing.Walk(StoreDialect.Of(db.Database), ArticleService.KeyColumns, position, older: true, budget, out var walkArgs, keys: keys);
                var args = walkArgs.ToList();
                string Arg(object value) => args.Placeholder(value);

                var sql = $"""
                    -- bounded: sorts at most {budget} stories, the walk's budget
                    SELECT {SummaryColumns} FROM ({walk}) d {StoreDialect.Of(db.Database).WalkJoin} "Articles" a ON a."Id" = d."Id"
                    WHERE {string.Join(" AND ", conditions)} ORDER BY d."SortKey" DESC, d."Id" DESC LIMIT {Arg(limit + 1)}
                    """;
                rows = await db.Database.RowsAsync<SummaryRow>(sql, [.. args], cancellationToken);
                if (rows.Count <= limit)
                {
                    var last = await articles.WalkAsync<ArticleService.KeyRow>(listing, ArticleService.KeyColumns, position, older: true, 1, cancellationToken, skip: budget - 1, keys: keys);
                    resume = last.Count == 1 ? new ListingCursor(last[0].SortKey, last[0].Id) : null;
                }
            }
        }

        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? new ListingCursor(page[^1].SortKey, page[^1].Id) : resume;
        var names = await articles.NamesAsync([.. page.Select(r => r.Id)], cancellationToken);
        return new ApiPage<ApiArticleSummary>(
            [.. page.Select(r => new ApiArticleSummary(r.Slug, r.Title, r.Lede, r.PublishedOn, r.DocumentDate, r.Language, nameof(ArticleStatus.Published),
                r.PublishAtUtc, r.UpdatedAtUtc, [.. names.CategoriesOf(r.Id).Select(c => c.Name)], [.. names.SourcesOf(r.Id).Select(s => s.Name)]))],
            next is { } cursorNext ? WriteCursor(cursorNext) : null)
        {
            OlderMatchesLeftOut = olderMatchesLeftOut,
            CacheTags =
            [
                listing.CacheTag, .. match is null ? Array.Empty<string>() : [CacheTags.Search],
                .. page.SelectMany(r => names.CategoriesOf(r.Id).Select(c => CacheTags.Category(c.Id))
                    .Concat(names.SourcesOf(r.Id).Select(s => CacheTags.Source(s.Id))).Prepend(CacheTags.Article(r.Id))),
            ],
        };
    }

    /// <summary>The public stories among <paramref name="ids"/> (a search's matches), passing the other filters, newest first, after <paramref name="position"/>.</summary>
    private async Task<List<SummaryRow>> MatchesAmongAsync(IReadOnlyList<int> ids, IEnumerable<string> filters, (long Min, long Max)? keys,
        ListingCursor? position, int limit, CancellationToken cancellationToken)
        => ids.Count == 0 ? [] : await PageOfAsync(_ => "\"Articles\" a", [Listing.IdIn(ids), .. filters], keys, position, limit, cancellationToken);

    /// <summary>The public stories among the newest matches of the words, passing the other filters, newest first, after <paramref name="position"/>.</summary>
    private Task<List<SummaryRow>> NewestMatchesAsync(Search.SearchQuery match, IEnumerable<string> filters, (long Min, long Max)? keys,
        ListingCursor? position, int limit, CancellationToken cancellationToken)
    {
        var dialect = StoreDialect.Of(db.Database);
        return PageOfAsync(arg => $"""
            (
                {NewestMatches(dialect, match, arg, TextMatches)}
            ) m {dialect.WalkJoin} "Articles" a ON a."Id" = m."Id"
            """, filters, keys, position, limit, cancellationToken);
    }

    /// <summary>A page of the listed stories <paramref name="stories"/> (SQL naming them <c>a</c>, written with the statement's arguments) hold, passing <paramref name="filters"/>.</summary>
    private async Task<List<SummaryRow>> PageOfAsync(Func<Func<object, string>, string> stories, IEnumerable<string> filters, (long Min, long Max)? keys,
        ListingCursor? position, int limit, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        string Arg(object value) => args.Placeholder(value);

        List<string> conditions = [$"""a."Listed" = {StoreDialect.Of(db.Database).Literal(true)}""", .. filters];
        if (keys is { } range)
        {
            conditions.Add($"""a."SortKey" >= {Arg(range.Min)} AND a."SortKey" < {Arg(range.Max)}""");
        }

        if (position is { } cursor)
        {
            conditions.Add($"""(a."SortKey", a."Id") < ({Arg(cursor.SortKey)}, {Arg(cursor.Id)})""");
        }

        var sql = $"""
            -- bounded: sorts at most {TextMatches} matches
            SELECT {SummaryColumns} FROM {stories(Arg)}
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY a."SortKey" DESC, a."Id" DESC LIMIT {Arg(limit + 1)}
            """;
        return await db.Database.RowsAsync<SummaryRow>(sql, [.. args], cancellationToken);
    }

    /// <summary>The ids of the newest <paramref name="limit"/> matches of the words, from each store's index: FTS5 on SQLite, the search vector's GIN index on PostgreSQL.</summary>
    private static string NewestMatches(StoreDialect dialect, Search.SearchQuery match, Func<object, string> arg, int limit) => dialect.IsSqlite
        ? $"""SELECT rowid AS "Id" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {arg(match.ToFtsMatch()!)} ORDER BY rowid DESC LIMIT {arg(limit)}"""
        : Search.PostgresSearch.NewestMatches(match, arg, limit);

    /// <summary>Whether the words alone match more stories than a list looks through (<see cref="TextMatches"/>).</summary>
    private async Task<bool> MoreMatchesThanLookedThroughAsync(Search.SearchQuery match, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        string Arg(object value) => args.Placeholder(value);

        var sql = $"""
            -- bounded: counts at most {TextMatches + 1} matches
            SELECT count(*) AS "Matches" FROM ({NewestMatches(StoreDialect.Of(db.Database), match, Arg, TextMatches + 1)}) m
            """;
        return (await db.Database.RowsAsync<MatchCount>(sql, [.. args], cancellationToken)).Single().Matches > TextMatches;
    }

    /// <summary>
    /// Editors' lists, by status: the stories of that status, newest first, as the admin list finds them (one walk of
    /// a listing index for the public stories and one for the others, or the matches of words read by id), so a page
    /// costs the same in a store of a million.
    /// </summary>
    private async Task<ApiPage<ApiArticleSummary>> EditorListAsync(
        ApiArticleFilter filter, ListingCursor? position, int limit, CancellationToken cancellationToken)
    {
        var list = await admin.ListAsync(new Admin.AdminArticleFilter(filter.Status, filter.Category, filter.Source, filter.Text, OldestFirst: false,
            From: position, Language: filter.Language, FromDay: filter.From, ToDay: filter.To, Take: limit), cancellationToken);
        if (list.Stopped is not null || list.Items.Count == 0)
        {
            return new ApiPage<ApiArticleSummary>([], null) { Stopped = list.Stopped is not null, OlderMatchesLeftOut = list.LeftOut is not null };
        }

        var ids = list.Items.Select(r => r.Id).ToList();
        var more = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Lede, a.DocumentDate, a.Language }).ToListAsync(cancellationToken);
        var names = await articles.NamesAsync(ids, cancellationToken);
        return new ApiPage<ApiArticleSummary>(
            [.. list.Items.Join(more, r => r.Id, m => m.Id, (r, m) => new ApiArticleSummary(r.Slug, r.Title, m.Lede, r.PublishedOn, m.DocumentDate, m.Language,
                r.Deleted ? "Deleted" : r.Status.ToString(), r.PublishAtUtc, r.UpdatedAtUtc,
                [.. names.CategoriesOf(r.Id).Select(c => c.Name)], [.. names.SourcesOf(r.Id).Select(s => s.Name)]))],
            list.Next is { } next ? WriteCursor(next) : null)
        {
            OlderMatchesLeftOut = list.Next is null && list.LeftOut is not null,
        };
    }

    /// <summary>One article by slug; null when it does not exist or (for readers) is not public. Gone when deleted.</summary>
    public async Task<(ApiArticle? Article, bool Gone, int Id)> GetAsync(string slug, bool editor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.Articles.AsNoTracking().Where(a => a.Slug == slug).Select(a => new
        {
            a.Id,
            a.Slug,
            a.Title,
            a.Dateline,
            a.Body,
            a.BodyHtml,
            a.Lede,
            a.PublishedOn,
            a.DocumentDate,
            a.Language,
            a.Site,
            a.OriginalUrl,
            a.Status,
            a.PublishAtUtc,
            a.CorrectionNote,
            a.CreatedAtUtc,
            a.UpdatedAtUtc,
            a.Version,
            a.DeletedAtUtc,
            a.License,
            a.ThreadId,
            Thread = a.Thread != null ? a.Thread.Name : null,
            a.ImageUrl,
            a.ImageAlt,
            a.Summary,
        }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return (null, false, 0);
        }

        if (row.DeletedAtUtc is not null)
        {
            return (null, true, row.Id);
        }

        var status = ArticleVisibility.Effective(row.Status, row.PublishAtUtc, now);
        if (!editor && status != ArticleStatus.Published)
        {
            return (null, false, 0);
        }

        var names = await articles.NamesAsync([row.Id], cancellationToken);
        var (categories, sources) = (names.CategoriesOf(row.Id), names.SourcesOf(row.Id));
        return (new ApiArticle(row.Slug, row.Title, row.Dateline, row.Body, row.BodyHtml ?? markdown.ToHtml(row.Body, row.Dateline), row.Lede, row.PublishedOn,
            row.DocumentDate, row.Language, row.Site, row.OriginalUrl, [.. categories.Select(c => c.Name)], [.. sources.Select(s => s.Name)], status.ToString(),
            row.PublishAtUtc, row.CorrectionNote, row.CreatedAtUtc, row.UpdatedAtUtc, row.Version, row.License, row.Thread, row.ImageUrl, row.ImageAlt, row.Summary)
        {
            CacheTags = [CacheTags.Article(row.Id), .. categories.Select(c => CacheTags.Category(c.Id)), .. sources.Select(s => CacheTags.Source(s.Id)),
                .. row.ThreadId is { } thread ? [CacheTags.Thread(thread)] : Array.Empty<string>()],
        }, false, row.Id);
    }

    // Opaque to clients: the position of the last story of a page, base64url.
    private static string WriteCursor(ListingCursor cursor)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(cursor.ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadCursor(string cursor, out ListingCursor position)
    {
        position = default;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            if (!ListingCursor.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)), out var read))
            {
                return false;
            }

            position = read.Value;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed record MatchCount(long Matches);

    private sealed record SummaryRow(
        int Id, long SortKey, string Slug, string Title, string Lede, DateOnly PublishedOn, DateTime? DocumentDate, string Language,
        DateTime? PublishAtUtc, DateTime UpdatedAtUtc);
}
