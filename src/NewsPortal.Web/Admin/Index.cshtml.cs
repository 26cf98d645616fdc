using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Admin;

public sealed class IndexModel(ArticleAdminService articles) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    public PagedList<AdminArticleRow> Rows { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        if (!PageNumber.TryParse(pageNumber, out var page))
        {
            return ErrorModel.BadRequest(this, PageNumber.InvalidMessage);
        }

        if (Status is "deleted" && !User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        Rows = await articles.ListAsync(new AdminArticleFilter(Status, Category, Source, Q, Sort == "oldest", page), cancellationToken);
        return Page();
    }

    /// <summary>Restoring a deleted article is for admins only.</summary>
    public async Task<IActionResult> OnPostUndeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        return await articles.UndeleteAsync(id, User.Identity!.Name!, cancellationToken) ? RedirectToPage(new { status = "deleted" }) : NotFound();
    }

    public string PageLink(int page)
    {
        var query = Request.Query.Where(q => q.Key != "page")
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("page", page.ToString(CultureInfo.InvariantCulture)));
        return Request.Path + QueryString.Create(query);
    }
}
