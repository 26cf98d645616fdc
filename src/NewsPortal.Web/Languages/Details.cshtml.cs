using Microsoft.AspNetCore.Mvc;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Languages;

public sealed class DetailsModel(LanguageService languages, ArticleService articles) : ListingPageModel
{
    public LanguageSummary Language { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? tag, CancellationToken cancellationToken)
    {
        if (await languages.GetAsync(tag, cancellationToken) is not { } language)
        {
            return NotFound();
        }

        Language = language;
        return await ShowListingAsync(articles, Listing.InLanguage(language.Tag), cancellationToken);
    }
}
