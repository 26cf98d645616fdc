using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Articles;

namespace NewsPortal.Web.Shared;

/// <summary>A page that lists articles 20 at a time with <c>?page=N</c>.</summary>
public abstract class ListingPageModel : PageModel
{
    public PagedList<ArticleCard> Articles { get; protected set; } = null!;

    /// <summary>Shows the listing, or sends the reader to the nearest page that exists when the one asked for does not.</summary>
    protected IActionResult ShowListing(long requestedPage)
    {
        if (requestedPage == Articles.PageNumber)
        {
            return Page();
        }

        var query = Request.Query
            .Where(pair => pair.Key != "page")
            .Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value.ToString()))
            .ToList();
        if (Articles.PageNumber > 1)
        {
            query.Add(new("page", Articles.PageNumber.ToString(CultureInfo.InvariantCulture)));
        }

        return Redirect(Request.PathBase + Request.Path + QueryString.Create(query));
    }

    protected IActionResult BadPageNumber() => ErrorModel.BadRequest(this, PageNumber.InvalidMessage);
}
