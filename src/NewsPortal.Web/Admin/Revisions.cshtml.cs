using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace NewsPortal.Web.Admin;

public sealed class RevisionsModel(ArticleAdminService articles) : PageModel
{
    public const int PageSize = 50;

    public int Id { get; private set; }
    public string Title { get; private set; } = "";
    public int Version { get; private set; }
    public IReadOnlyList<RevisionRow> Revisions { get; private set; } = [];
    public IReadOnlyList<DiffLine>? Diff { get; private set; }
    public int? From { get; private set; }
    public int? To { get; private set; }

    /// <summary>The page's position: it lists revisions older than this one (none: the newest).</summary>
    public int? Before { get; private set; }

    /// <summary>Where the next page of older revisions starts, when there are any.</summary>
    public int? OlderFrom { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, int? from, int? to, int? before, CancellationToken cancellationToken)
    {
        var found = await articles.GetFormAsync(id, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }

        (Id, Title, Version) = (id, found.Value.Form.Title, found.Value.Form.Version);
        var page = await articles.RevisionsAsync(id, before, PageSize + 1, cancellationToken);
        (Revisions, Before, OlderFrom) = ([.. page.Take(PageSize)], before, page.Count > PageSize ? page[PageSize - 1].Number : null);
        (From, To) = (from ?? Revisions.Skip(1).FirstOrDefault()?.Number, to ?? Revisions.FirstOrDefault()?.Number);
        if (from is not null && to is not null)
        {
            Diff = await articles.DiffAsync(id, from.Value, to.Value, cancellationToken);
            if (Diff is null)
            {
                return NotFound();
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(int id, int number, int version, CancellationToken cancellationToken)
    {
        var result = await articles.RestoreRevisionAsync(id, number, version, User.Identity!.Name!, cancellationToken);
        if (result is null)
        {
            return NotFound();
        }

        Message = result.Saved ? $"Revision {number} restored as a new revision." : result.Conflict;
        return RedirectToPage(new { id });
    }
}
