using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Admin;

public sealed class AuditModel(AuditLog audit) : PageModel
{
    public PagedList<AuditRow> Entries { get; private set; } = null!;

    [FromQuery(Name = "user")]
    public string? UserFilter { get; set; }

    [FromQuery(Name = "action")]
    public string? ActionFilter { get; set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        if (!PageNumber.TryParse(pageNumber, out var page))
        {
            return ErrorModel.BadRequest(this, PageNumber.InvalidMessage);
        }

        Entries = await audit.ListAsync(page, UserFilter, ActionFilter, cancellationToken);
        return Page();
    }
}
