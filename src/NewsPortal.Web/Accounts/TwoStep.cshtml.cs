using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// The second step of signing in after a right password: the app's code or a recovery code (two-step sign-in on), or one
/// of the account's passkeys (see <see cref="TwoStepSignIn.SecondStepsOfAsync"/>).
/// </summary>
public sealed class TwoStepModel(
    UserManager<PortalUser> users, UserService accounts, TwoStepSignIn twoStep, KnownDevices devices,
    AuditLog audit, SignInAttempts attempts, Passkeys passkeys, TwoStepRule rule) : PageModel
{
    /// <summary>The same for every refusal, as at the first step.</summary>
    public const string Failed = "That code is not right, or it has already been used. Type the six digits your app shows now, or one of your recovery codes. Too many tries lock the account for a while.";

    public const string Expired = "This sign-in waited more than five minutes for its code, or the account changed meanwhile. Sign in again.";

    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The browser's answer to the passkey challenge, as JSON (the page's script fills it in).</summary>
    [BindProperty]
    public string? Credential { get; set; }

    /// <summary>The steps this account may take here; none when nothing is pending.</summary>
    public TwoStepSignIn.SecondSteps Steps { get; private set; } = new(Code: false, Passkey: false);

    public const string PasskeyFailed = "That passkey did not sign you in: it is not one of this account's (it may have been removed), or the browser's answer came too late. Try again.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The editor's choice not to be asked for the second step on this browser again for a while.</summary>
    [BindProperty]
    public bool RememberBrowser { get; set; }

    /// <summary>How many days a browser can be remembered for (<see cref="TwoStepRule.RememberBrowserFor"/>); 0: the choice is not offered.</summary>
    public int RememberDays => rule.RememberBrowserDays;

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
            return NoLongerPending();
        }

        var email = user.Email ?? user.Id;
        var device = await devices.DeviceOfAsync(Request, user);
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
            await accounts.SignInAsync(HttpContext, user, device, TwoStepRule.SecondStepTaken, $"with a recovery code, {left} left" + Remembered, RememberBrowser);
            // Where the account's codes are renewed, and its app set up again if the phone is gone.
            return LocalRedirect("/admin/two-step");
        }

        await accounts.SignInAsync(HttpContext, user, device, TwoStepRule.SecondStepTaken, "with a code from the app" + Remembered, RememberBrowser);
        return LocalRedirect(GoOnTo);
    }

    /// <summary>The challenge for the account's own passkeys, for the page's script to hand to <c>navigator.credentials.get</c>.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        Response.Headers.CacheControl = "no-store";
        if (await PendingAsync() is not { } user || !Steps.Passkey)
        {
            return new JsonResult(new { problems = new[] { Expired } }) { StatusCode = StatusCodes.Status400BadRequest };
        }

        return Content(await passkeys.RequestOptionsAsync(user), "application/json");
    }

    /// <summary>
    /// The second step by passkey: one of this account's, nobody else's (a passkey alone would sign its own account in
    /// from the sign-in page, but this page finishes the sign-in its password began). Identity refuses another account's
    /// passkey for a challenge made for this one; the holder is compared here too, whatever the challenge was.
    /// </summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        if (await PendingAsync() is not { } user || !Steps.Passkey)
        {
            return NoLongerPending();
        }

        var email = user.Email ?? user.Id;
        if (await passkeys.CheckAsync(Credential) is not var (holder, name) || holder.Id != user.Id || UserService.IsDisabled(user))
        {
            await audit.RecordAsync(email, "sign in failed", "account", "a passkey at the second step");
            ModelState.AddModelError(string.Empty, PasskeyFailed);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await accounts.SignInAsync(HttpContext, user, await devices.DeviceOfAsync(Request, user), TwoStepRule.SecondStepTaken, "with a password and a passkey: " + name + Remembered, RememberBrowser);
        return LocalRedirect(GoOnTo);
    }

    /// <summary>What the audit log adds when this browser is to be remembered for the second step.</summary>
    private string Remembered => RememberBrowser && RememberDays > 0 ? $"; this browser not to be asked again for {RememberDays} days" : "";

    private PageResult NoLongerPending()
    {
        NothingPending = true;
        ModelState.AddModelError(string.Empty, Expired);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>
    /// The account whose right password this browser typed in the last five minutes, if nothing about it has changed
    /// since and it still has a second step to take (<see cref="Steps"/>).
    /// </summary>
    private async Task<PortalUser?> PendingAsync()
    {
        var pending = await HttpContext.AuthenticateAsync(TwoStepSignIn.PendingScheme);
        if (!pending.Succeeded || pending.Principal.FindFirstValue(ClaimTypes.Name) is not { } id || await users.FindByIdAsync(id) is not { } user
            || !TwoStepSignIn.StillFor(pending.Principal, user))
        {
            return null;
        }

        Steps = await twoStep.SecondStepsOfAsync(user);
        return Steps.Any ? user : null;
    }

    private PageResult Fail()
    {
        ModelState.AddModelError(string.Empty, Failed);
        return Page();
    }
}
