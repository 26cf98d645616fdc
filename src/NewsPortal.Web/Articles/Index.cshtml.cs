using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

public sealed class IndexModel(ArticleService articles) : ListingPageModel
{
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        if (!PageNumber.TryParse(pageNumber, out var requested))
        {
            return BadPageNumber();
        }

        Articles = await articles.ListAsync(requested, cancellationToken);
        return ShowListing(requested);
    }
}
