using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Accounts;

public sealed class LoginModel(
    SignInManager<PortalUser> signIn, UserManager<PortalUser> users, UserService accounts, IPasswordHasher<PortalUser> hasher, KnownDevices devices,
    AuditLog audit, SignInAttempts attempts) : PageModel
{
    /// <summary>The same for every failure, so the page does not tell which accounts exist, are locked or are disabled.</summary>
    public const string Failed = "The email or password is not right, or the account is locked or disabled. Try again in a few minutes or ask an admin.";

    private static string? _placeholderHash;

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

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
        var device = user is null ? null : devices.DeviceOf(Request, user);
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

        if (user.TwoFactorEnabled)
        {
            // The password alone signs nothing in: the account is held for its code (TwoStep), and wrong passwords
            // counted so far stay counted until the code is right, so password and code guesses share one lockout.
            await HttpContext.SignInAsync(TwoStepSignIn.PendingScheme, TwoStepSignIn.Pending(user));
            return LocalRedirect("/account/two-step?ReturnUrl=" + Uri.EscapeDataString(GoOnTo));
        }

        await accounts.ResetFailedSignInsAsync(user);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "pwd")]);
        devices.Remember(HttpContext, user, device);
        await audit.RecordAsync(email, "sign in", "account");
        // Only ever back into this site: an open redirect would hand signed-in editors to anyone's page.
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
