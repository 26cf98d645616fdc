using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class IndexModel(CategoryService categories) : PageModel
{
    public IReadOnlyList<NamedCount> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = await categories.ListWithCountsAsync(cancellationToken);
        HttpContext.TagResponse(CacheTags.Names);
    }
}
