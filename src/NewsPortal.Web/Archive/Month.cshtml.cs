using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Archive;

public sealed class MonthModel(ArticleService articles) : ListingPageModel
{
    public string Name { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int year, int month, CancellationToken cancellationToken)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || await articles.CountAsync(ListingCount.Month(year, month), cancellationToken) == 0)
        {
            return NotFound();
        }

        Name = new DateOnly(year, month, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        return await ShowListingAsync(articles, Listing.InMonth(year, month), cancellationToken);
    }
}
