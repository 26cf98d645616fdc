using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Accounts;

public sealed class LoginModel(
    SignInManager<PortalUser> signIn, UserManager<PortalUser> users, UserService accounts, IPasswordHasher<PortalUser> hasher, KnownDevices devices,
    AuditLog audit, SignInAttempts attempts, Passkeys passkeys, TwoStepSignIn twoStep) : PageModel
{
    /// <summary>The same for every failure, so the page does not tell which accounts exist, are locked or are disabled.</summary>
    public const string Failed = "The email or password is not right, or the account is locked or disabled. Try again in a few minutes or ask an admin.";

    private static string? _placeholderHash;

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The browser's answer to the passkey challenge, as JSON (the page's script fills it in).</summary>
    [BindProperty]
    public string? Credential { get; set; }

    public const string PasskeyFailed = "That passkey did not sign you in: it is not one this site knows (it may have been removed), the account is disabled, or the browser's answer came too late. Try again, or sign in with your password.";

    /// <summary>Where a signed-in account goes on to, and after signing in: only ever back into this site.</summary>
    public string GoOnTo => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        var device = user is null ? null : await devices.DeviceOfAsync(Request, user);
        if (!await attempts.TryAttemptAsync(email, device))
        {
            // Too many tries at this account from anywhere (or from this browser): not even checked, so a flood from
            // many addresses neither guesses on nor keeps the account locked.
            await audit.RecordAsync(email, "sign in rate limited", "account");
            return Fail();
        }

        // A browser the account knows is let past a lockout that guesses from elsewhere caused; a disabled account is
        // refused everywhere.
        if (user is null || UserService.IsDisabled(user) || device is null && await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            // As long as checking a password takes, so the time taken does not tell which accounts exist or are locked.
            _placeholderHash ??= hasher.HashPassword(new PortalUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
            hasher.VerifyHashedPassword(user ?? new PortalUser(), _placeholderHash, Input.Password);
            await audit.RecordAsync(email, user is null ? "sign in failed" : "sign in locked out", "account");
            return Fail();
        }

        if (!await users.CheckPasswordAsync(user, Input.Password))
        {
            // Only guesses from browsers the account does not know count towards locking it.
            if (device is null)
            {
                await accounts.CountFailedSignInAsync(user);
            }

            await audit.RecordAsync(email, "sign in failed", "account");
            return Fail();
        }

        if ((await twoStep.SecondStepsOfAsync(user)).Any)
        {
            if (await devices.TookSecondStepAsync(Request, user))
            {
                // Its editor asked this browser to be remembered when it took the second step, lately enough
                // (Security:RememberSecondStepDays), and nothing about the account has changed since.
                await accounts.SignInAsync(HttpContext, user, device, TwoStepRule.SecondStepTaken, "with a password, on a browser remembered for its second step");
                return LocalRedirect(GoOnTo);
            }

            // The password alone signs nothing in: the account is held for its code or passkey (TwoStep), and wrong
            // passwords counted so far stay counted until the code is right, so password and code guesses share one
            // lockout.
            await HttpContext.SignInAsync(TwoStepSignIn.PendingScheme, TwoStepSignIn.Pending(user));
            return LocalRedirect("/account/two-step?ReturnUrl=" + Uri.EscapeDataString(GoOnTo));
        }

        await accounts.SignInAsync(HttpContext, user, device, TwoStepRule.PasswordAlone);
        // Only ever back into this site: an open redirect would hand signed-in editors to anyone's page.
        return LocalRedirect(GoOnTo);
    }

    /// <summary>The challenge for a passkey sign-in, for the page's script to hand to <c>navigator.credentials.get</c>.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        Response.Headers.CacheControl = "no-store";
        return Content(await passkeys.RequestOptionsAsync(), "application/json");
    }

    /// <summary>
    /// Signs in with a passkey: no password and no code, since the device's own lock (PIN, fingerprint) was the second
    /// step. A lockout does not stop it: guesses cannot reach a passkey, and whoever floods the password form to lock an
    /// editor out should not keep them out this way either. A disabled account is refused.
    /// </summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        // The password form's fields are not part of this one.
        ModelState.Clear();
        var passkey = await passkeys.CheckAsync(Credential);
        if (passkey is not var (user, name) || UserService.IsDisabled(user) || !await signIn.CanSignInAsync(user))
        {
            await audit.RecordAsync(passkey?.User.Email ?? "unknown", passkey is null ? "sign in failed" : "sign in locked out", "account", "a passkey");
            ModelState.AddModelError(string.Empty, PasskeyFailed);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await accounts.SignInAsync(HttpContext, user, await devices.DeviceOfAsync(Request, user), TwoStepRule.SecondStepTaken, "with a passkey: " + name);
        return LocalRedirect(GoOnTo);
    }

    private PageResult Fail()
    {
        ModelState.AddModelError(string.Empty, Failed);
        return Page();
    }

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }
}
