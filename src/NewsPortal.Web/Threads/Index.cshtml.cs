using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Threads;

public sealed class IndexModel(ThreadService threads) : PageModel
{
    public IReadOnlyList<ActiveThread> Threads { get; private set; } = [];

    /// <summary>The position the next page starts after, or null on the last page.</summary>
    public ListingCursor? Next { get; private set; }

    public bool IsFirst { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(string? after, CancellationToken cancellationToken)
    {
        ListingCursor? from = null;
        if (after is not null && !ListingCursor.TryParse(after, out from))
        {
            return ErrorModel.BadRequest(this, ListingCursor.InvalidMessage);
        }

        var page = await threads.DevelopingAsync(from, ThreadService.PageSize + 1, cancellationToken);
        if (page.Count > ThreadService.PageSize)
        {
            page.RemoveAt(page.Count - 1);
            Next = page[^1].Position;
        }

        Threads = page;
        IsFirst = from is null;
        HttpContext.TagResponse(CacheTags.Names);
        return Page();
    }
}
