using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

public sealed class SourceService(NewsDbContext db, TimeProvider clock)
{
    /// <summary>Every source credited on a public article, by name, with how many.</summary>
    public Task<List<NamedCount>> ListWithCountsAsync(CancellationToken cancellationToken = default)
    {
        var isPublic = ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime);
        return db.Sources.AsNoTracking()
            .Where(s => s.Articles.AsQueryable().Any(isPublic))
            .OrderBy(s => s.NameKey)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.Articles.AsQueryable().Count(isPublic)))
            .ToListAsync(cancellationToken);
    }

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        var isPublic = ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime);
        return db.Sources.AsNoTracking()
            .Where(s => s.Slug == slug)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.Articles.AsQueryable().Count(isPublic)))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.SourceAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);
}
