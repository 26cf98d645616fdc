using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class DetailsModel(CategoryService categories, ArticleService articles) : ListingPageModel
{
    public NamedCount Category { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? slug, CancellationToken cancellationToken)
    {
        // An address of only spaces binds as none, which would match every alias that has no address of its own.
        if (string.IsNullOrWhiteSpace(slug))
        {
            return NotFound();
        }

        var category = await categories.GetBySlugAsync(slug, cancellationToken);
        if (category is null)
        {
            return await categories.RedirectForAsync(slug, cancellationToken) is { } target
                ? RedirectToPagePermanent(null, new { slug = target })
                : NotFound();
        }

        Category = category;
        return await ShowListingAsync(articles, Listing.InCategory(category.Id), cancellationToken);
    }
}
