using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Languages;

public sealed class DetailsModel(LanguageService languages, ArticleService articles) : ListingPageModel
{
    public LanguageSummary Language { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string tag, [FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        if (await languages.GetAsync(tag, cancellationToken) is not { } language)
        {
            return NotFound();
        }

        if (!PageNumber.TryParse(pageNumber, out var requested))
        {
            return BadPageNumber();
        }

        Language = language;
        Articles = await articles.ListInLanguageAsync(language.Tag, requested, cancellationToken);
        return ShowListing(requested);
    }
}
