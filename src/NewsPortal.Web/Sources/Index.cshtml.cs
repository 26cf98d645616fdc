using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

public sealed class IndexModel(SourceService sources) : PageModel
{
    public IReadOnlyList<NamedCount> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = await sources.ListWithCountsAsync(cancellationToken);
        HttpContext.TagResponse(CacheTags.Names);
    }
}
