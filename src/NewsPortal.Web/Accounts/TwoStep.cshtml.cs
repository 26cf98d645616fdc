using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Accounts;

/// <summary>The second step of signing in to an account with two-step sign-in on: its app's code, or a recovery code.</summary>
public sealed class TwoStepModel(
    UserManager<PortalUser> users, UserService accounts, TwoStepSignIn twoStep, KnownDevices devices,
    AuditLog audit, SignInAttempts attempts) : PageModel
{
    /// <summary>The same for every refusal, as at the first step.</summary>
    public const string Failed = "That code is not right, or it has already been used. Type the six digits your app shows now, or one of your recovery codes. Too many tries lock the account for a while.";

    public const string Expired = "This sign-in waited more than five minutes for its code, or the account changed meanwhile. Sign in again.";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when no sign-in is waiting for a code here: the page offers to sign in again instead of a form.</summary>
    public bool NothingPending { get; private set; }

    public string GoOnTo => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await PendingAsync() is null)
        {
            return LocalRedirect("/account/login?ReturnUrl=" + Uri.EscapeDataString(GoOnTo));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await PendingAsync() is not { } user)
        {
            NothingPending = true;
            ModelState.AddModelError(string.Empty, Expired);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var email = user.Email ?? user.Id;
        var device = devices.DeviceOf(Request, user);
        if (!await attempts.TryAttemptAsync(email, device))
        {
            await audit.RecordAsync(email, "sign in rate limited", "account", "at the code");
            return Fail();
        }

        // Wrong codes lock the account as wrong passwords do, and as there a browser the account knows is let past a
        // lockout that others' guesses caused.
        if (UserService.IsDisabled(user) || device is null && await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(email, "sign in locked out", "account", "at the code");
            return Fail();
        }

        var check = await twoStep.CheckAsync(user.Id, Code ?? "", cancellationToken);
        if (check is CodeCheck.Wrong or CodeCheck.Reused)
        {
            if (device is null)
            {
                await accounts.CountFailedSignInAsync(user);
            }

            await audit.RecordAsync(email, "sign in failed", "account", check == CodeCheck.Reused ? "a code already used" : "a wrong code");
            return Fail();
        }

        if (check == CodeCheck.RecoveryCodeAccepted)
        {
            var left = await twoStep.RecoveryCodesLeftAsync(user);
            await accounts.SignInAsync(HttpContext, user, device, "mfa", $"with a recovery code, {left} left");
            // Where the account's codes are renewed, and its app set up again if the phone is gone.
            return LocalRedirect("/admin/two-step");
        }

        await accounts.SignInAsync(HttpContext, user, device, "mfa", "with a code from the app");
        return LocalRedirect(GoOnTo);
    }

    /// <summary>The account whose right password this browser typed in the last five minutes, if nothing about it has changed since.</summary>
    private async Task<PortalUser?> PendingAsync()
    {
        var pending = await HttpContext.AuthenticateAsync(TwoStepSignIn.PendingScheme);
        if (!pending.Succeeded || pending.Principal.FindFirstValue(ClaimTypes.Name) is not { } id || await users.FindByIdAsync(id) is not { } user)
        {
            return null;
        }

        return user.TwoFactorEnabled && TwoStepSignIn.StillFor(pending.Principal, user) ? user : null;
    }

    private PageResult Fail()
    {
        ModelState.AddModelError(string.Empty, Failed);
        return Page();
    }
}
