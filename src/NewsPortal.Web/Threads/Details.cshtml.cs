using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Threads;

public sealed class DetailsModel(ThreadService threads, ArticleService articles) : ListingPageModel
{
    public NamedCount Thread { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? slug, CancellationToken cancellationToken)
    {
        // An address of only spaces binds as none, which would match every alias that has no address of its own.
        if (string.IsNullOrWhiteSpace(slug))
        {
            return NotFound();
        }

        if (await threads.GetBySlugAsync(slug, cancellationToken) is not { } thread)
        {
            return await threads.RedirectForAsync(slug, cancellationToken) is { } target
                ? RedirectToPagePermanent(null, new { slug = target })
                : NotFound();
        }

        Thread = thread;
        HttpContext.TagResponse(CacheTags.Thread(thread.Id));
        return await ShowListingAsync(articles, Listing.InThread(thread.Id), cancellationToken);
    }
}
