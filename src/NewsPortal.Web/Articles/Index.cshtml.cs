using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

public sealed class IndexModel(ArticleService articles) : ListingPageModel
{
    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowListingAsync(articles, Listing.All, cancellationToken);
}
