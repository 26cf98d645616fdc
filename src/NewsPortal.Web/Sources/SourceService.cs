using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

public sealed class SourceService(NewsDbContext db)
{
    /// <summary>Every source credited on an article, by name, with how many.</summary>
    public Task<List<NamedCount>> ListWithCountsAsync(CancellationToken cancellationToken = default)
        => db.Sources.AsNoTracking()
            .Where(s => s.Articles.Any())
            .OrderBy(s => s.NameKey)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.Articles.Count))
            .ToListAsync(cancellationToken);

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Sources.AsNoTracking()
            .Where(s => s.Slug == slug)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.Articles.Count))
            .SingleOrDefaultAsync(cancellationToken);
}
