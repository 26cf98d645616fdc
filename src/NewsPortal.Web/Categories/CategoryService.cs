using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class CategoryService(NewsDbContext db)
{
    /// <summary>Every category that has articles, by name, with how many.</summary>
    public Task<List<NamedCount>> ListWithCountsAsync(CancellationToken cancellationToken = default)
        => db.Categories.AsNoTracking()
            .Where(c => c.Articles.Any())
            .OrderBy(c => c.NameKey)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.Articles.Count))
            .ToListAsync(cancellationToken);

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Categories.AsNoTracking()
            .Where(c => c.Slug == slug)
            .Select(c => new NamedCount(c.Id, c.Name, c.Slug, c.Articles.Count))
            .SingleOrDefaultAsync(cancellationToken);
}
