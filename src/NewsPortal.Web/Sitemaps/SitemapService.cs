using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Sitemaps;

/// <summary>
/// What the Google News sitemap says of a story: where it is, its headline and language, and when it went public (W3C
/// format: the day alone when only the day is known).
/// </summary>
public sealed record NewsSitemapEntry(string Slug, string Title, string Language, string PublicationDate);

/// <summary>What an article sitemap says of a story: where it is and when it last changed.</summary>
public sealed record SitemapEntry(string Slug, DateTime UpdatedAtUtc);

/// <summary>What a thread sitemap says of a developing story: where its page is and the day of its newest story.</summary>
public sealed record ThreadSitemapEntry(string Slug, long LatestSortKey)
{
    public DateOnly LatestOn => ListingOrder.DayOf(LatestSortKey);
}

/// <summary>What search engines are told exists: public articles, listing pages, and the news of the last two days.</summary>
public sealed class SitemapService(NewsDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Ids per article sitemap: sitemap N lists the public articles with ids in its range, so a sitemap never changes
    /// because others were added, and each is one primary-key range read. (The protocol allows 50,000 a file.)
    /// </summary>
    public const int ArticlesPerSitemap = 500;

    /// <summary>How many article sitemaps there are: enough ranges to reach the highest id.</summary>
    public async Task<int> ArticleSitemapCountAsync(CancellationToken cancellationToken)
        => PagesReaching(await db.Articles.MaxAsync(a => (int?)a.Id, cancellationToken), ArticlesPerSitemap);

    /// <summary>The public articles of sitemap <paramref name="page"/>, by id.</summary>
    public Task<List<SitemapEntry>> ArticlesAsync(int page, CancellationToken cancellationToken)
    {
        var (first, last) = IdsOf(page, ArticlesPerSitemap);
        return db.Articles.AsNoTracking()
            .Where(a => a.Id >= first && a.Id <= last && a.Listed)
            .OrderBy(a => a.Id)
            .Select(a => new SitemapEntry(a.Slug, a.UpdatedAtUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Ids per thread sitemap, as <see cref="ArticlesPerSitemap"/>: each sitemap one primary-key range read.</summary>
    public const int ThreadsPerSitemap = 500;

    /// <summary>How many thread sitemaps there are: enough ranges to reach the highest thread id.</summary>
    public async Task<int> ThreadSitemapCountAsync(CancellationToken cancellationToken)
        => PagesReaching(await db.Threads.MaxAsync(t => (int?)t.Id, cancellationToken), ThreadsPerSitemap);

    /// <summary>
    /// The developing stories of thread sitemap <paramref name="page"/>, by id: the ones /threads lists, whose pages
    /// are a news site's landing pages for a running story; a one-story thread's page is its story's, already listed.
    /// </summary>
    public Task<List<ThreadSitemapEntry>> ThreadsAsync(int page, CancellationToken cancellationToken)
    {
        var (first, last) = IdsOf(page, ThreadsPerSitemap);
        return db.Threads.AsNoTracking()
            .Where(t => t.Id >= first && t.Id <= last && t.LatestSortKey != null && t.ArticleCount >= ThreadService.DevelopingMinimum)
            .OrderBy(t => t.Id)
            .Select(t => new ThreadSitemapEntry(t.Slug, t.LatestSortKey!.Value))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Articles published in the last two days (<see cref="ListingOrder.PublishedAt"/>: an archive imported today is
    /// not news), newest first, as Google News sitemaps ask (at most 1,000). Walks the listing index from the top, so
    /// it reads the stories dated in those days and no others.
    /// </summary>
    public async Task<List<NewsSitemapEntry>> RecentNewsAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-2);
        var sql = $$"""
            SELECT a."Slug", a."Title", a."Language", a."SortKey", a."PublishAtUtc", a."CreatedAtUtc" FROM "Articles" a
            WHERE a."Listed" = {{StoreDialect.Of(db.Database).Literal(true)}} AND a."SortKey" >= {0} AND a."PublishAtUtc" >= {1}
            ORDER BY a."SortKey" DESC, a."Id" DESC LIMIT 1000
            """;
        var rows = await db.Database.RowsAsync<NewsRow>(sql, [ListingOrder.StartOf(DateOnly.FromDateTime(since)), since], cancellationToken);
        return [.. rows
            .Where(r => ListingOrder.PublishedAt(r.SortKey, r.PublishAtUtc, r.CreatedAtUtc) >= since)
            .Select(r => new NewsSitemapEntry(r.Slug, r.Title, r.Language,
                ListingOrder.PublishedInstant(r.SortKey, r.PublishAtUtc, r.CreatedAtUtc)?.ToUtcIsoString()
                    ?? ListingOrder.DayOf(r.SortKey).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))];
    }

    /// <summary>Listing pages: categories and sources with public articles.</summary>
    public async Task<List<string>> ListingPathsAsync(CancellationToken cancellationToken)
    {
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Slug).Where(c => c.ArticleCount > 0).Select(c => "/categories/" + c.Slug).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Slug).Where(s => s.ArticleCount > 0).Select(s => "/sources/" + s.Slug).ToListAsync(cancellationToken);
        return ["/", "/categories", "/sources", "/languages", "/archive", .. categories, .. sources];
    }

    /// <summary>How many sitemaps of <paramref name="perSitemap"/> ids it takes to reach <paramref name="highestId"/>; one when there are none yet.</summary>
    private static int PagesReaching(int? highestId, int perSitemap) => Math.Max(1, ((highestId ?? 0) + perSitemap - 1) / perSitemap);

    /// <summary>The first and last id sitemap <paramref name="page"/> lists.</summary>
    private static (int First, int Last) IdsOf(int page, int perSitemap) => (((page - 1) * perSitemap) + 1, page * perSitemap);

    private sealed record NewsRow(string Slug, string Title, string Language, long SortKey, DateTime? PublishAtUtc, DateTime CreatedAtUtc);
}
