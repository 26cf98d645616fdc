using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

public sealed class SourceService(NewsDbContext db)
{
    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Sources.AsNoTracking()
            .Where(s => s.Slug == slug)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.ArticleCount))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.SourceAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);
}
