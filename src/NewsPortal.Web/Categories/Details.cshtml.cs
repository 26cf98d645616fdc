using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class DetailsModel(CategoryService categories, ArticleService articles) : ListingPageModel
{
    public NamedCount Category { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        var category = await categories.GetBySlugAsync(slug, cancellationToken);
        if (category is null)
        {
            return await categories.RedirectForAsync(slug, cancellationToken) is { } target
                ? RedirectToPagePermanent(null, new { slug = target })
                : NotFound();
        }

        if (!PageNumber.TryParse(pageNumber, out var requested))
        {
            return BadPageNumber();
        }

        Category = category;
        Articles = await articles.ListInCategoryAsync(category.Id, requested, cancellationToken);
        return ShowListing(requested);
    }
}
