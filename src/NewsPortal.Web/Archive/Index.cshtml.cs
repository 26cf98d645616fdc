using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;

namespace NewsPortal.Web.Archive;

public sealed class IndexModel(ArticleService articles) : PageModel
{
    public IReadOnlyList<ArchiveMonth> Months { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Months = await articles.MonthsAsync(cancellationToken);
        HttpContext.TagResponse(CacheTags.Names);
    }
}
