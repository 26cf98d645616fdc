using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class CategoryService(NewsDbContext db)
{
    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Categories.AsNoTracking()
            .Where(c => c.Slug == slug)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.ArticleCount))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The categories with the most public stories: the front page's sections.</summary>
    public Task<List<NamedCount>> BusiestAsync(int take, CancellationToken cancellationToken = default)
        => db.Categories.AsNoTracking()
            .Where(c => c.ArticleCount > 0)
            .OrderByDescending(c => c.ArticleCount).ThenBy(c => c.Id)
            .Take(take)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.ArticleCount))
            .ToListAsync(cancellationToken);

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.CategoryAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);
}
