using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Admin;

/// <summary>
/// /admin/categories, /admin/sources and /admin/threads: found by the start of a name and paged (a newsroom has
/// thousands of sources), with likely duplicates to merge; rename, merge (the old slug answers 301) and aliases for imports.
/// </summary>
public sealed class NamesModel(NameAdminService names) : PageModel
{
    public const int PageSize = 40;
    public const int DuplicatesShown = 15;

    [FromRoute]
    public string Kind { get; set; } = "categories";

    /// <summary>The start of the names to show ("reu").</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public IReadOnlyList<NameRow> Rows { get; private set; } = [];
    public string? NextAfter { get; private set; }
    public IReadOnlyList<DuplicatePair> Duplicates { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public string Heading => Kind switch { "sources" => "Sources", "threads" => "Threads", _ => "Categories" };
    public string Plural => Kind;
    public string Noun => NameAdminService.Noun(NameKind);
    private NameKind NameKind => Kind switch { "sources" => NameKind.Source, "threads" => NameKind.Thread, _ => NameKind.Category };

    /// <summary>Two names of one thing, as the merge fields' examples.</summary>
    public (string From, string Into) Example => NameKind switch
    {
        NameKind.Source => ("RBC Ukraine", "RBC-Ukraine"),
        NameKind.Thread => ("Gaza war ceasefire", "2025 Gaza war ceasefire"),
        _ => ("World news", "International"),
    };

    /// <summary>What the merge fields ask the editor's name suggestions for.</summary>
    public string SuggestKind => NameKind.ToString().ToLowerInvariant();
    private string Actor => User.Identity!.Name!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (NameIndex.Problem(null, Q, After) is { } problem)
        {
            return ErrorModel.BadRequest(this, problem);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(int id, string name, CancellationToken cancellationToken)
        => await ResultAsync(await names.RenameAsync(NameKind, id, name, Actor, cancellationToken), "Renamed.", cancellationToken);

    /// <summary>Merges by id (a likely duplicate's button) or by the names an editor typed.</summary>
    public async Task<IActionResult> OnPostMergeAsync(int? fromId, int? intoId, string? from, string? into, CancellationToken cancellationToken)
    {
        fromId ??= string.IsNullOrWhiteSpace(from) ? null : await names.FindAsync(NameKind, from, cancellationToken);
        intoId ??= string.IsNullOrWhiteSpace(into) ? null : await names.FindAsync(NameKind, into, cancellationToken);
        if (fromId is null || intoId is null)
        {
            var missing = fromId is null ? from : into;
            return await ResultAsync(string.IsNullOrWhiteSpace(missing)
                ? $"Type the {Noun} to merge and the one to merge it into."
                : $"There is no {Noun} called '{Text.Line(missing)}'.", "", cancellationToken);
        }

        return await ResultAsync(await names.MergeAsync(NameKind, fromId.Value, intoId.Value, Actor, cancellationToken), "Merged.", cancellationToken);
    }

    public async Task<IActionResult> OnPostAliasAsync(int id, string alias, CancellationToken cancellationToken)
        => await ResultAsync(await names.AddAliasAsync(NameKind, id, alias, Actor, cancellationToken), "Alias added.", cancellationToken);

    /// <summary>The address of the next page, keeping the search.</summary>
    public string NextLink(string after)
        => $"/admin/{Kind}{QueryString.Create(new KeyValuePair<string, string?>[] { new("q", Q), new("after", after) }.Where(p => !string.IsNullOrEmpty(p.Value)))}";

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        (var rows, NextAfter) = await names.PageAsync(NameKind, Q, After, PageSize, cancellationToken);
        Rows = rows;
        Duplicates = string.IsNullOrEmpty(Q) && string.IsNullOrEmpty(After)
            ? await names.LikelyDuplicatesAsync(NameKind, DuplicatesShown, cancellationToken)
            : [];
    }

    private async Task<IActionResult> ResultAsync(string? problem, string success, CancellationToken cancellationToken)
    {
        if (problem is null)
        {
            Message = success;
            return RedirectToPage(new { kind = Kind });
        }

        ModelState.AddModelError(string.Empty, problem);
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
