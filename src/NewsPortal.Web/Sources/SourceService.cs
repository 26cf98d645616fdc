using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

public sealed class SourceService(NewsDbContext db)
{
    /// <summary>Every source that has public articles, by name, with how many (counts the store keeps as stories change).</summary>
    public Task<List<NamedCount>> ListWithCountsAsync(CancellationToken cancellationToken = default)
        => db.Sources.AsNoTracking()
            .OrderBy(s => s.NameKey)
            .Where(s => s.ArticleCount > 0)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.ArticleCount))
            .ToListAsync(cancellationToken);

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Sources.AsNoTracking()
            .Where(s => s.Slug == slug)
            .Select(s => new NamedCount(s.Id, s.Name, s.Slug, s.ArticleCount))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.SourceAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);
}
