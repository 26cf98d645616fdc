using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class CategoryService(NewsDbContext db)
{
    /// <summary>Every category that has public articles, by name, with how many (counts the store keeps as stories change).</summary>
    public Task<List<NamedCount>> ListWithCountsAsync(CancellationToken cancellationToken = default)
        => db.Categories.AsNoTracking()
            .OrderBy(c => c.NameKey)
            .Where(c => c.ArticleCount > 0)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.ArticleCount))
            .ToListAsync(cancellationToken);

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Categories.AsNoTracking()
            .Where(c => c.Slug == slug)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.ArticleCount))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.CategoryAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);
}
