using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

/// <summary>
/// What readers see of articles: listings a page at a time (keyset pages, one index walk each), one article, its
/// neighbours in its category, and the month archive. Counts come from rows the store keeps, never from counting.
/// </summary>
public sealed class ArticleService(NewsDbContext db, MarkdownRenderer markdown, ComparedStories compared, TimeProvider clock, IOptions<PortalOptions> options)
{
    /// <summary>The deepest old-style <c>?page=N</c> still followed to its stories; deeper ones go to the last page.</summary>
    public const int MaxLegacyPage = 500;

    private const string CardColumns = """a."Id", a."SortKey", a."Title", a."Slug", a."Lede", a."PublishedOn", a."Language", a."OriginalUrl" """;

    private int PageSize => options.Value.PageSize;

    /// <summary>
    /// A page of a listing: the first, the one older than <paramref name="before"/>, or the one newer than
    /// <paramref name="after"/>. Null when <paramref name="after"/> leaves less than a page: the first page is that page.
    /// </summary>
    public async Task<ListingPage<ArticleCard>?> PageAsync(Listing listing, ListingCursor? before, ListingCursor? after, CancellationToken cancellationToken = default)
    {
        var older = after is null;
        var rows = await WalkAsync<CardRow>(listing, CardColumns, older ? before : after, older, PageSize + 1, cancellationToken);
        var more = rows.Count > PageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (!older)
        {
            if (!more)
            {
                return null;
            }

            rows.Reverse();
        }

        var names = await NamesAsync([.. rows.Select(r => r.Id)], cancellationToken);
        var items = rows.Select(r => new ArticleCard(r.Title, r.Slug, r.Lede, r.PublishedOn, r.Language, names.CategoriesOf(r.Id), names.SourcesOf(r.Id))
        {
            Id = r.Id,
            Position = new ListingCursor(r.SortKey, r.Id),
            OriginalUrl = r.OriginalUrl,
        }).ToList();
        if (items.Count == 0)
        {
            // Past either end (a stale link): nothing here, but the way back to the start.
            return new ListingPage<ArticleCard>(items, null, before is not null || after is not null, null);
        }

        // Reports of one event fold into one headline after the page's ends are known, so the links either side still
        // start where this page's stories do.
        var shown = ArticleCard.Fold(items, compared);
        if (older)
        {
            // How far the newer side reaches decides whether "newer" is the listing's own first page.
            var newer = before is null ? 0 : (await WalkAsync<KeyRow>(listing, KeyColumns, items[0].Position, older: false, PageSize + 1, cancellationToken)).Count;
            return new ListingPage<ArticleCard>(shown, newer > PageSize ? items[0].Position : null, newer > 0 && newer <= PageSize, more ? items[^1].Position : null);
        }

        var olderExists = (await WalkAsync<KeyRow>(listing, KeyColumns, items[^1].Position, older: true, 1, cancellationToken)).Count > 0;
        return new ListingPage<ArticleCard>(shown, items[0].Position, false, olderExists ? items[^1].Position : null);
    }

    /// <summary>
    /// Where an old-style <c>?page=N</c> address now starts: the story just newer than that page's first, found with
    /// a bounded walk (at most <see cref="MaxLegacyPage"/> pages); past the end, or deeper, the last page. Null: the first page.
    /// </summary>
    public async Task<ListingCursor?> LegacyPageAsync(Listing listing, long page, CancellationToken cancellationToken = default)
    {
        if (page <= 1)
        {
            return null;
        }

        if (page <= MaxLegacyPage)
        {
            var rows = await WalkAsync<KeyRow>(listing, KeyColumns, null, older: true, 1, cancellationToken, skip: (int)((page - 1) * PageSize) - 1);
            if (rows.Count == 1 && await WalkAsync<KeyRow>(listing, KeyColumns, new ListingCursor(rows[0].SortKey, rows[0].Id), older: true, 1, cancellationToken) is { Count: 1 })
            {
                return new ListingCursor(rows[0].SortKey, rows[0].Id);
            }
        }

        // The last page holds the oldest stories: those older than the one just newer than them.
        var oldest = await WalkAsync<KeyRow>(listing, KeyColumns, null, older: false, PageSize + 1, cancellationToken);
        return oldest.Count > PageSize ? new ListingCursor(oldest[^1].SortKey, oldest[^1].Id) : null;
    }

    /// <summary>How many stories a listing has, from the counts the store keeps.</summary>
    public async Task<int> CountAsync(string countKey, CancellationToken cancellationToken = default)
        => await db.ListingCounts.AsNoTracking().Where(c => c.Key == countKey).Select(c => c.ArticleCount).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every month that has public articles, newest first, with how many.</summary>
    public async Task<List<ArchiveMonth>> MonthsAsync(CancellationToken cancellationToken = default)
    {
        var (first, last) = (ListingCount.Month(1, 1), ListingCount.Month(9999, 12));
        var counts = await db.ListingCounts.AsNoTracking()
            .Where(c => string.Compare(c.Key, first) >= 0 && string.Compare(c.Key, last) <= 0 && c.ArticleCount > 0)
            .OrderByDescending(c => c.Key)
            .Select(c => new { c.Key, c.ArticleCount })
            .ToListAsync(cancellationToken);
        return [.. counts.Select(c => new ArchiveMonth(int.Parse(c.Key[6..10], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(c.Key[11..13], System.Globalization.CultureInfo.InvariantCulture), c.ArticleCount))];
    }

    /// <summary>The current address of the story that had this slug before an editor changed it; null when none did.</summary>
    public async Task<(int Id, string Slug)?> MovedToAsync(string slug, CancellationToken cancellationToken = default)
        => await db.SlugRedirects.AsNoTracking().Where(r => r.Slug == slug).Select(r => new { r.ArticleId, r.Article!.Slug })
            .FirstOrDefaultAsync(cancellationToken) is { } moved ? (moved.ArticleId, moved.Slug) : null;

    /// <summary>
    /// The public article with this slug; <see cref="ArticleLookup.Gone"/> when it was deleted. With
    /// <paramref name="evenIfNotPublic"/> (a checked preview link), a draft, scheduled or unpublished one too.
    /// </summary>
    public async Task<ArticleLookup> GetBySlugAsync(string slug, CancellationToken cancellationToken = default, bool evenIfNotPublic = false)
    {
        var article = await BySlug(db, slug, cancellationToken);
        if (article is null)
        {
            return new ArticleLookup(null, Gone: false);
        }

        if (article.DeletedAtUtc is not null)
        {
            return new ArticleLookup(null, Gone: true);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var status = ArticleVisibility.Effective(article.Status, article.PublishAtUtc, now);
        if (status != ArticleStatus.Published && !evenIfNotPublic)
        {
            return new ArticleLookup(null, Gone: false);
        }

        var names = await NamesAsync([article.Id], cancellationToken);
        return new ArticleLookup(
            new ArticleDetails(
                article.Id, article.Title, article.Slug, article.Dateline, article.BodyHtml ?? markdown.ToHtml(article.Body, article.Dateline), article.Lede,
                article.PublishedOn, article.DocumentDate, article.Language, article.Site, article.OriginalUrl,
                article.UpdatedAtUtc, article.CorrectionNote, names.CategoriesOf(article.Id), names.SourcesOf(article.Id))
            {
                ReadingMinutes = Math.Max(1, (int)Math.Ceiling(Text.WordCount(article.Body) / 200.0)),
                SortKey = article.SortKey,
                PublishedAtUtc = ListingOrder.PublishedInstant(article.SortKey, article.PublishAtUtc, article.CreatedAtUtc),
                License = License.From(article.License),
                Thread = article.Thread,
                Status = status,
                Image = StoryImage.From(article.ImageUrl, article.ImageAlt),
            },
            Gone: false);
    }

    /// <summary>The public stories just newer and just older than this one in its first category (by name).</summary>
    public async Task<CategoryNeighbours?> NeighboursAsync(ArticleDetails article, CancellationToken cancellationToken = default)
    {
        if (article.Categories.Count == 0)
        {
            return null;
        }

        var category = article.Categories[0];
        var listing = Listing.InCategory(category.Id);
        var position = new ListingCursor(article.SortKey, article.Id);
        var newerSql = listing.Walk(StoreDialect.Of(db.Database), """a."Id", a."Title", a."Slug", true AS "Newer" """, position, older: false, 1, out var newerArgs);
        var olderSql = listing.Walk(StoreDialect.Of(db.Database), """a."Id", a."Title", a."Slug", false AS "Newer" """, position, older: true, 1, out var olderArgs);
        var sql = $"SELECT * FROM ({newerSql}) n UNION ALL SELECT * FROM ({Renumber(olderSql, newerArgs.Length)}) o";
        var rows = await db.Database.RowsAsync<NeighbourRow>(sql, [.. newerArgs, .. olderArgs], cancellationToken);
        NamedLink? Link(bool newer) => rows.FirstOrDefault(r => r.Newer == newer) is { } row ? new NamedLink(row.Title, row.Slug) { Id = row.Id } : null;
        return new CategoryNeighbours(category, Link(newer: true), Link(newer: false));
    }

    /// <summary>
    /// The newest <paramref name="take"/> headlines of each listing older than <paramref name="from"/> (all of them
    /// when null), in one command: a walk of each listing's index.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<Headline>>> NewestInEachAsync(
        IReadOnlyList<Listing> listings, int take, ListingCursor? from = null, CancellationToken cancellationToken = default)
    {
        if (listings.Count == 0)
        {
            return [];
        }

        var parts = new List<string>();
        var args = new List<object>();
        for (var i = 0; i < listings.Count; i++)
        {
            var walk = listings[i].Walk(StoreDialect.Of(db.Database), $"{i} AS \"Part\", a.\"SortKey\", {Headline.Columns}", from, older: true, take, out var walkArgs);
            parts.Add($"SELECT * FROM ({Renumber(walk, args.Count)}) w{i}");
            args.AddRange(walkArgs);
        }

        var rows = await db.Database.RowsAsync<PartRow>(string.Join(" UNION ALL ", parts), [.. args], cancellationToken);
        // UNION ALL promises no order across its parts, so each part is put back in listing order here.
        var byPart = rows.OrderByDescending(r => r.SortKey).ThenByDescending(r => r.Id).ToLookup(r => r.Part, r => new Headline(r.Id, r.Title, r.Slug, r.PublishedOn));
        return [.. listings.Select((_, i) => (IReadOnlyList<Headline>)[.. byPart[i]])];
    }

    /// <summary>The categories and sources of these articles, each list by name, in two index lookups per article.</summary>
    public async Task<ArticleNames> NamesAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return ArticleNames.None;
        }

        var list = string.Join(", ", ids.Select((_, i) => $"{{{i}}}"));
        var sql = $"""
            SELECT l."ArticlesId" AS "ArticleId", false AS "IsSource", c."Id", c."Name", c."Slug"
            FROM "ArticleCategories" l JOIN "Categories" c ON c."Id" = l."CategoriesId" WHERE l."ArticlesId" IN ({list})
            UNION ALL
            SELECT l."ArticlesId", true, s."Id", s."Name", s."Slug"
            FROM "ArticleSources" l JOIN "Sources" s ON s."Id" = l."SourcesId" WHERE l."ArticlesId" IN ({list})
            """;
        var rows = await db.Database.RowsAsync<NameRow>(sql, [.. ids.Cast<object>()], cancellationToken);
        return new ArticleNames(rows);
    }

    /// <summary>Listed stories of a listing as rows of <typeparamref name="T"/>, walking from <paramref name="from"/>.</summary>
    public async Task<List<T>> WalkAsync<T>(
        Listing listing, string columns, ListingCursor? from, bool older, int take, CancellationToken cancellationToken = default, int skip = 0, (long Min, long Max)? keys = null)
    {
        var sql = listing.Walk(StoreDialect.Of(db.Database), columns, from, older, take, out var args, skip, keys);
        return await db.Database.RowsAsync<T>(sql, args, cancellationToken);
    }

    public const string KeyColumns = Listing.KeyColumns;

    /// <summary>Shifts the <c>{n}</c> placeholders of a second query so that two can run as one command.</summary>
    public static string Renumber(string sql, int by)
        => System.Text.RegularExpressions.Regex.Replace(sql, @"\{(\d+)\}", m => "{" + (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + by).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");

    /// <summary>The article page's read of a story, compiled once: EF Core otherwise builds and looks up this query's plan for every view.</summary>
    private static readonly Func<NewsDbContext, string, CancellationToken, Task<StoredArticle?>> BySlug = EF.CompileAsyncQuery(
        (NewsDbContext db, string slug, CancellationToken cancellationToken) => db.Articles.AsNoTracking()
        .Where(a => a.Slug == slug)
        .Select(a => new StoredArticle(
            a.Id, a.Title, a.Slug, a.Dateline, a.Body, a.BodyHtml, a.Lede, a.PublishedOn, a.DocumentDate, a.SortKey, a.Language, a.Site, a.OriginalUrl,
            a.UpdatedAtUtc, a.CorrectionNote, a.License, a.Status, a.PublishAtUtc, a.CreatedAtUtc, a.DeletedAtUtc,
            a.Thread == null ? null : new NamedLink(a.Thread.Name, a.Thread.Slug) { Id = a.Thread.Id }, a.ImageUrl, a.ImageAlt))
        .SingleOrDefault());

    public sealed record KeyRow(long SortKey, int Id);

    private sealed record StoredArticle(
        int Id, string Title, string Slug, string? Dateline, string Body, string? BodyHtml, string Lede, DateOnly PublishedOn, DateTime? DocumentDate,
        long SortKey, string Language, string? Site, string? OriginalUrl, DateTime UpdatedAtUtc, string? CorrectionNote, string? License,
        ArticleStatus Status, DateTime? PublishAtUtc, DateTime CreatedAtUtc, DateTime? DeletedAtUtc, NamedLink? Thread, string? ImageUrl, string? ImageAlt);

    private sealed record CardRow(int Id, long SortKey, string Title, string Slug, string Lede, DateOnly PublishedOn, string Language, string? OriginalUrl);

    private sealed record PartRow(int Part, long SortKey, int Id, string Title, string Slug, DateOnly PublishedOn);

    private sealed record NeighbourRow(int Id, string Title, string Slug, bool Newer);
}

/// <summary>One category or source of one article, as read for a page of articles.</summary>
public sealed record NameRow(int ArticleId, bool IsSource, int Id, string Name, string Slug);

/// <summary>The categories and sources of a set of articles, each article's sorted by name.</summary>
public sealed class ArticleNames(IReadOnlyList<NameRow> rows)
{
    public static ArticleNames None { get; } = new([]);

    private readonly ILookup<(int, bool), NamedLink> _byArticle = rows
        .OrderBy(r => r.Name, StringComparer.Ordinal)
        .ToLookup(r => (r.ArticleId, r.IsSource), r => new NamedLink(r.Name, r.Slug) { Id = r.Id });

    public IReadOnlyList<NamedLink> CategoriesOf(int articleId) => [.. _byArticle[(articleId, false)]];

    public IReadOnlyList<NamedLink> SourcesOf(int articleId) => [.. _byArticle[(articleId, true)]];
}
