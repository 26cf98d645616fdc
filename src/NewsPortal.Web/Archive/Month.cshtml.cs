using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Archive;

public sealed class MonthModel(ArticleService articles) : ListingPageModel
{
    public string Name { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int year, int month, [FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        if (year is < 1 or > 9998 || month is < 1 or > 12)
        {
            return NotFound();
        }

        if (!PageNumber.TryParse(pageNumber, out var requested))
        {
            return BadPageNumber();
        }

        Name = new DateOnly(year, month, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        Articles = await articles.ListInMonthAsync(year, month, requested, cancellationToken);
        if (Articles.TotalCount == 0)
        {
            return NotFound();
        }

        return ShowListing(requested);
    }
}
