using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Admin;

public sealed class AuditModel(AuditLog audit) : PageModel
{
    public IReadOnlyList<AuditRow> Entries { get; private set; } = [];

    [FromQuery(Name = "user")]
    public string? UserFilter { get; set; }

    [FromQuery(Name = "action")]
    public string? ActionFilter { get; set; }

    /// <summary>The page's position: entries older than this id (none: the newest).</summary>
    public long? Before { get; private set; }

    /// <summary>Where the next page of older entries starts, when there are any.</summary>
    public long? OlderFrom { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "before")] string? before, CancellationToken cancellationToken)
    {
        if (before is not null)
        {
            if (!long.TryParse(before, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position) || position < 1)
            {
                return ErrorModel.BadRequest(this, "'before' is an entry's number, such as 1200, from the \"Older entries\" link.");
            }

            Before = position;
        }

        var page = await audit.ListAsync(Before, UserFilter, ActionFilter, cancellationToken);
        Entries = [.. page.Take(AuditLog.PageSize)];
        OlderFrom = page.Count > AuditLog.PageSize ? Entries[^1].Id : null;
        return Page();
    }

    /// <summary>This page's filters, for the links to the pages either side.</summary>
    public string Filters(long? before)
        => QueryString.Create(new[]
        {
            KeyValuePair.Create("user", UserFilter),
            KeyValuePair.Create("action", ActionFilter),
            KeyValuePair.Create("before", before?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        }.Where(p => !string.IsNullOrWhiteSpace(p.Value))).ToUriComponent();
}
