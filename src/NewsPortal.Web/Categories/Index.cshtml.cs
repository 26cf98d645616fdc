using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public sealed class IndexModel(NewsDbContext db) : PageModel
{
    public NameIndexPage Names { get; private set; } = new([], null, "", null);

    public async Task<IActionResult> OnGetAsync(string? letter, string? q, string? after, CancellationToken cancellationToken)
    {
        if (NameIndex.Problem(letter, q, after) is { } problem)
        {
            return ErrorModel.BadRequest(this, problem);
        }

        Names = await NameIndex.ReadAsync(db.Categories, letter, q, after, cancellationToken);
        HttpContext.TagResponse(CacheTags.Names);
        return Page();
    }
}
