using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;

namespace NewsPortal.Web.Languages;

public sealed class IndexModel(LanguageService languages) : PageModel
{
    public IReadOnlyList<LanguageSummary> Languages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Languages = await languages.ListAsync(cancellationToken);
        HttpContext.TagResponse(CacheTags.Names);
    }
}
