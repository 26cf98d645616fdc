using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Admin;

public sealed class WebhooksModel(WebhookService webhooks) : PageModel
{
    public IReadOnlyList<WebhookRow> Subscriptions { get; private set; } = [];
    public IReadOnlyList<WebhookDeliveryRow> Deliveries { get; private set; } = [];

    [BindProperty]
    public string? Address { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>The new subscription's secret: carried over the redirect once, then gone (the page never shows it again).</summary>
    [TempData]
    public string? NewSecret { get; set; }

    private string Actor => User.Identity!.Name!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var (added, problem) = await webhooks.AddAsync(Address, Actor, cancellationToken);
        if (added is null)
        {
            ModelState.AddModelError(nameof(Address), problem!);
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Message = $"Added {added.Url}. Copy its secret now: it is not shown again.";
        NewSecret = added.Secret;
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostDeactivateAsync(int id, CancellationToken cancellationToken)
        => ResultAsync(webhooks.SetActiveAsync(id, active: false, Actor, cancellationToken), "Webhook paused: nothing is sent to it until it is activated.");

    public Task<IActionResult> OnPostActivateAsync(int id, CancellationToken cancellationToken)
        => ResultAsync(webhooks.SetActiveAsync(id, active: true, Actor, cancellationToken), "Webhook activated.");

    public Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
        => ResultAsync(webhooks.DeleteAsync(id, Actor, cancellationToken), "Webhook deleted, with its deliveries.");

    private async Task<IActionResult> ResultAsync(Task<bool> change, string success)
    {
        if (!await change)
        {
            return NotFound();
        }

        Message = success;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Subscriptions = await webhooks.ListAsync(cancellationToken);
        Deliveries = await webhooks.RecentDeliveriesAsync(cancellationToken);
    }
}
