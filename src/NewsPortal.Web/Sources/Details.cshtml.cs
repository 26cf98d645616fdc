using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

public sealed class DetailsModel(SourceService sources, ArticleService articles) : ListingPageModel
{
    public NamedCount Source { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? slug, CancellationToken cancellationToken)
    {
        // An address of only spaces binds as none, which would match every alias that has no address of its own.
        if (string.IsNullOrWhiteSpace(slug))
        {
            return NotFound();
        }

        var source = await sources.GetBySlugAsync(slug, cancellationToken);
        if (source is null)
        {
            return await sources.RedirectForAsync(slug, cancellationToken) is { } target
                ? RedirectToPagePermanent(null, new { slug = target })
                : NotFound();
        }

        Source = source;
        return await ShowListingAsync(articles, Listing.FromSource(source.Id), cancellationToken);
    }
}
