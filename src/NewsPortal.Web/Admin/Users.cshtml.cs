using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Web.Admin;

public sealed class UsersModel(UserService users, TwoStepSignIn twoStep, Passkeys passkeys) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    private string Actor => User.Identity!.Name!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await users.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string email, string password, string role, CancellationToken cancellationToken)
        => await ResultAsync(await users.AddAsync(email ?? "", password ?? "", role ?? "", Actor), $"Added {email}.", cancellationToken);

    public async Task<IActionResult> OnPostResetAsync(string id, string password, CancellationToken cancellationToken)
        => await ResultAsync(await users.ResetPasswordAsync(id, password ?? "", Actor), "Password reset.", cancellationToken);

    public async Task<IActionResult> OnPostDisableAsync(string id, CancellationToken cancellationToken)
        => await ResultAsync(await users.SetDisabledAsync(id, disabled: true, Actor), "User disabled.", cancellationToken);

    public async Task<IActionResult> OnPostEnableAsync(string id, CancellationToken cancellationToken)
        => await ResultAsync(await users.SetDisabledAsync(id, disabled: false, Actor), "User enabled.", cancellationToken);

    /// <summary>For an editor who lost both their phone and their recovery codes; one's own is turned off knowing the password.</summary>
    public async Task<IActionResult> OnPostTwoStepOffAsync(string id, CancellationToken cancellationToken)
        => await ResultAsync(
            id == User.FindFirstValue(ClaimTypes.NameIdentifier) ? [TurnOffOwnTwoStep] : await twoStep.TurnOffAsync(id ?? "", Actor, cancellationToken),
            "Two-step sign-in turned off: the password alone now signs that account in, and its sessions have ended.", cancellationToken);

    /// <summary>For an account whose device with a passkey was lost or stolen; one's own are removed one by one at Passkeys.</summary>
    public async Task<IActionResult> OnPostPasskeysOffAsync(string id, CancellationToken cancellationToken)
        => await ResultAsync(
            id == User.FindFirstValue(ClaimTypes.NameIdentifier) ? [RemoveOwnPasskeys] : await passkeys.RemoveAllAsync(id ?? "", Actor, cancellationToken),
            "Passkeys removed: none of them signs that account in any more, and its sessions have ended.", cancellationToken);

    public const string RemoveOwnPasskeys = "To remove your own passkeys, use Passkeys.";

    public const string TurnOffOwnTwoStep = "To turn off your own two-step sign-in, use Two-step sign-in: it asks for your password.";

    private async Task<IActionResult> ResultAsync(IReadOnlyList<string> problems, string success, CancellationToken cancellationToken)
    {
        if (problems.Count == 0)
        {
            Message = success;
            return RedirectToPage();
        }

        foreach (var problem in problems)
        {
            ModelState.AddModelError(string.Empty, problem);
        }

        Users = await users.ListAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
