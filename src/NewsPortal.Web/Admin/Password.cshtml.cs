using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Web.Admin;

/// <summary>
/// Each editor's own password (an admin gives the first one, and only its owner should know the one after), and the
/// browsers signed in with it.
/// </summary>
public sealed class PasswordModel(
    UserManager<PortalUser> users, UserService accounts, TwoStepSignIn twoStep, SignInAttempts attempts, BrowserSessions sessions) : PageModel
{
    public const string Changed = "Your password is changed. Any other browser signed in as you has been signed out.";

    public const string SignedOutOthers = "Every other browser signed in as you has been signed out; this one stays signed in.";

    public const string SignedOutOne = "That browser has been signed out: its next page asks it to sign in.";

    public const string TooManyTries = "Too many tries at the current password in the last minute: wait a minute and try again.";

    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    /// <summary>The browsers signed in as this account, this one first.</summary>
    public IReadOnlyList<BrowserSessionView> Browsers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Browsers = await sessions.ListAsync(User, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid && Input.NewPassword != Input.ConfirmPassword)
        {
            ModelState.AddModelError(string.Empty, "The new password and its confirmation differ: type the same password in both.");
        }
        else if (ModelState.IsValid && Input.NewPassword == Input.CurrentPassword)
        {
            ModelState.AddModelError(string.Empty, "The new password is the one you have now: choose another.");
        }

        if (ModelState.IsValid && await users.GetUserAsync(User) is { } user)
        {
            // An allowance a minute as well as the lockout, so this form is no faster a way to guess than the sign-in form.
            var problems = await attempts.TryPasswordChangeAsync(user.Id)
                ? await accounts.ChangeOwnPasswordAsync(user, Input.CurrentPassword, Input.NewPassword)
                : [TooManyTries];
            foreach (var problem in problems)
            {
                ModelState.AddModelError(string.Empty, problem);
            }

            if (ModelState.IsValid)
            {
                await accounts.SignInAgainAsync(HttpContext, user);
                Message = Changed;
                return RedirectToPage();
            }
        }

        return await RefusedAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSignOutOthersAsync(CancellationToken cancellationToken)
    {
        // The password form's fields are bound on every post to this page, and are not this form's.
        ModelState.Clear();
        var problems = await twoStep.SignOutOtherBrowsersAsync(users.GetUserId(User)!, cancellationToken);
        if (problems.Count == 0 && await users.GetUserAsync(User) is { } user)
        {
            // The new stamp ends every session: this one goes on.
            await accounts.SignInAgainAsync(HttpContext, user);
            Message = SignedOutOthers;
            return RedirectToPage();
        }

        problems.ToList().ForEach(problem => ModelState.AddModelError(string.Empty, problem));
        return await RefusedAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSignOutBrowserAsync(string? id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var problems = await sessions.SignOutAsync(User, id, cancellationToken);
        if (problems.Count == 0)
        {
            Message = SignedOutOne;
            return RedirectToPage();
        }

        problems.ToList().ForEach(problem => ModelState.AddModelError(string.Empty, problem));
        return await RefusedAsync(cancellationToken);
    }

    private async Task<IActionResult> RefusedAsync(CancellationToken cancellationToken)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password.")]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = "Enter a new password.")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Enter the new password again.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
