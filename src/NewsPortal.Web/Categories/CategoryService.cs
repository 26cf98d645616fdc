using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class CategoryService(NewsDbContext db, TimeProvider clock)
{
    /// <summary>Every category that has public articles, by name, with how many.</summary>
    public Task<List<NamedCount>> ListWithCountsAsync(CancellationToken cancellationToken = default)
    {
        var isPublic = ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime);
        return db.Categories.AsNoTracking()
            .Where(c => c.Articles.AsQueryable().Any(isPublic))
            .OrderBy(c => c.NameKey)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.Articles.AsQueryable().Count(isPublic)))
            .ToListAsync(cancellationToken);
    }

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        var isPublic = ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime);
        return db.Categories.AsNoTracking()
            .Where(c => c.Slug == slug)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.Articles.AsQueryable().Count(isPublic)))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.CategoryAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);
}
