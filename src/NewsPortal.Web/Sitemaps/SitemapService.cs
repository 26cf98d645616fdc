using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Sitemaps;

public sealed record SitemapArticle(string Slug, string Title, string Language, DateTime UpdatedAtUtc, DateTime? PublishAtUtc, DateTime CreatedAtUtc);

/// <summary>What search engines are told exists: public articles, listing pages, and the news of the last two days.</summary>
public sealed class SitemapService(NewsDbContext db, TimeProvider clock)
{
    /// <summary>Articles per sitemap file; the protocol allows 50,000, smaller files are kinder to crawlers and to us.</summary>
    public const int ArticlesPerSitemap = 10_000;

    private IQueryable<Article> Public => db.Articles.AsNoTracking().Where(ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime));

    public async Task<int> ArticleSitemapCountAsync(CancellationToken cancellationToken)
        => Math.Max(1, (await Public.CountAsync(cancellationToken) + ArticlesPerSitemap - 1) / ArticlesPerSitemap);

    /// <summary>One page of articles, by id so pages stay stable as articles are added.</summary>
    public Task<List<SitemapArticle>> ArticlesAsync(int page, CancellationToken cancellationToken)
        => Public.OrderBy(a => a.Id).Skip((page - 1) * ArticlesPerSitemap).Take(ArticlesPerSitemap)
            .Select(a => new SitemapArticle(a.Slug, a.Title, a.Language, a.UpdatedAtUtc, a.PublishAtUtc, a.CreatedAtUtc))
            .ToListAsync(cancellationToken);

    /// <summary>Articles that went public in the last two days, as Google News sitemaps ask (at most 1,000).</summary>
    public Task<List<SitemapArticle>> RecentNewsAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-2);
        return Public.Where(a => (a.PublishAtUtc ?? a.CreatedAtUtc) >= since)
            .OrderByDescending(a => a.PublishAtUtc ?? a.CreatedAtUtc).Take(1000)
            .Select(a => new SitemapArticle(a.Slug, a.Title, a.Language, a.UpdatedAtUtc, a.PublishAtUtc, a.CreatedAtUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Listing pages: categories and sources with public articles.</summary>
    public async Task<List<string>> ListingPathsAsync(CancellationToken cancellationToken)
    {
        var isPublic = ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime);
        var categories = await db.Categories.AsNoTracking().Where(c => c.Articles.AsQueryable().Any(isPublic)).OrderBy(c => c.Slug).Select(c => "/categories/" + c.Slug).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Where(s => s.Articles.AsQueryable().Any(isPublic)).OrderBy(s => s.Slug).Select(s => "/sources/" + s.Slug).ToListAsync(cancellationToken);
        return ["/", "/categories", "/sources", "/archive", .. categories, .. sources];
    }
}
