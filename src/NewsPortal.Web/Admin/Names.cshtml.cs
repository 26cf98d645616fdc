using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace NewsPortal.Web.Admin;

/// <summary>/admin/categories and /admin/sources: rename, merge (the old slug answers 301) and aliases for imports.</summary>
public sealed class NamesModel(NameAdminService names) : PageModel
{
    [FromRoute]
    public string Kind { get; set; } = "categories";

    public IReadOnlyList<NameRow> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public string Heading => Kind == "sources" ? "Sources" : "Categories";
    public string Plural => Kind;
    private NameKind NameKind => Kind == "sources" ? NameKind.Source : NameKind.Category;
    private string Actor => User.Identity!.Name!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await names.ListAsync(NameKind, cancellationToken);

    public async Task<IActionResult> OnPostRenameAsync(int id, string name, CancellationToken cancellationToken)
        => await ResultAsync(await names.RenameAsync(NameKind, id, name, Actor, cancellationToken), "Renamed.", cancellationToken);

    public async Task<IActionResult> OnPostMergeAsync(int fromId, int intoId, CancellationToken cancellationToken)
        => await ResultAsync(await names.MergeAsync(NameKind, fromId, intoId, Actor, cancellationToken), "Merged.", cancellationToken);

    public async Task<IActionResult> OnPostAliasAsync(int id, string alias, CancellationToken cancellationToken)
        => await ResultAsync(await names.AddAliasAsync(NameKind, id, alias, Actor, cancellationToken), "Alias added.", cancellationToken);

    private async Task<IActionResult> ResultAsync(string? problem, string success, CancellationToken cancellationToken)
    {
        if (problem is null)
        {
            Message = success;
            return RedirectToPage(new { kind = Kind });
        }

        ModelState.AddModelError(string.Empty, problem);
        Rows = await names.ListAsync(NameKind, cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
