using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Accounts;

public sealed class LoginModel(SignInManager<PortalUser> signIn, AuditLog audit, SignInAttempts attempts) : PageModel
{
    /// <summary>The same for every failure, so the page does not tell which accounts exist, are locked or are disabled.</summary>
    public const string Failed = "The email or password is not right, or the account is locked or disabled. Try again in a few minutes or ask an admin.";

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

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
        if (!await attempts.TryAttemptAsync(email))
        {
            // Too many tries at this account from anywhere: not even checked, so a flood from many addresses neither
            // guesses on nor keeps the account locked.
            await audit.RecordAsync(email, "sign in rate limited", "account");
            ModelState.AddModelError(string.Empty, Failed);
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(email, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.RecordAsync(email, "sign in", "account");
            // Only ever back into this site: an open redirect would hand signed-in editors to anyone's page.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
        }

        await audit.RecordAsync(email, result.IsLockedOut ? "sign in locked out" : "sign in failed", "account");
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
