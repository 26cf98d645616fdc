using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Web.Admin;

/// <summary>Each editor's own passkeys: adding one (the password is asked for first), listing and removing them.</summary>
public sealed class PasskeysModel(
    UserManager<PortalUser> users, Passkeys passkeys, UserService accounts, SignInAttempts attempts, TwoStepRule rule, TwoStepSignIn twoStep) : PageModel
{
    /// <summary>Set when the site requires this account to sign in with two steps and this session did not (see <see cref="TwoStepRule"/>).</summary>
    public bool Required => rule.Lacks(User);

    public IReadOnlyList<PasskeyRow> Held { get; private set; } = [];

    /// <summary>
    /// Whether this page offers to have every browser remembered for the second step ask again: when a passkey is the
    /// account's second step and the app's is not (whose page offers it), and the site remembers browsers.
    /// </summary>
    public bool ForgetBrowsersOffered { get; private set; }

    public int RememberDays => rule.RememberBrowserDays;

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The browser's new passkey, as JSON (the page's script fills it in).</summary>
    [BindProperty]
    public string? Credential { get; set; }

    [BindProperty]
    public string? Id { get; set; }

    public async Task<IActionResult> OnGetAsync() => await ShowAsync();

    /// <summary>
    /// The challenge for a new passkey, for the page's script to hand to <c>navigator.credentials.create</c>; only after
    /// the password, since a passkey added from a browser left signed in would let its finder in for good.
    /// </summary>
    public async Task<IActionResult> OnPostOptionsAsync()
    {
        Response.Headers.CacheControl = "no-store";
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var problems = await attempts.TryPasswordChangeAsync(user.Id)
            ? await accounts.CheckOwnPasswordAsync(user, Password ?? "", "add a passkey")
            : [PasswordModel.TooManyTries];
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        return await passkeys.CreationOptionsAsync(user) is { } options ? Content(options, "application/json") : Refused([Passkeys.TooMany]);
    }

    /// <summary>The page's script shows these beside the button.</summary>
    private static JsonResult Refused(IReadOnlyList<string> problems)
        => new(new { problems }) { StatusCode = StatusCodes.Status422UnprocessableEntity };

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var problems = await passkeys.AddAsync(users.GetUserId(User)!, Credential, Name, cancellationToken);
        if (problems.Count == 0 && Required && await users.GetUserAsync(User) is { } user)
        {
            // As when the app is set up: the password just typed and the device's own check of its new key are this
            // session's two steps, and the site's rule lets it on.
            await accounts.SignInAgainAsync(HttpContext, user, tookSecondStep: true);
        }

        return await ChangedAsync(problems, "Passkey added: choose \"Sign in with a passkey\" on the sign-in page next time.");
    }

    public async Task<IActionResult> OnPostForgetBrowsersAsync(CancellationToken cancellationToken)
    {
        var problems = await twoStep.SignOutOtherBrowsersAsync(users.GetUserId(User)!, cancellationToken);
        if (problems.Count == 0 && await users.GetUserAsync(User) is { } user)
        {
            // The new stamp ends every session: this one goes on.
            await accounts.SignInAgainAsync(HttpContext, user);
        }

        return await ChangedAsync(problems, Forgotten);
    }

    /// <summary>What both pages that offer it say once every browser asks for the second step again.</summary>
    public const string Forgotten = "Every browser now asks for your second step again, this one too. Any other browser signed in as you has been signed out.";

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
        => await ChangedAsync(await passkeys.RemoveAsync(users.GetUserId(User)!, Id, cancellationToken), "Passkey removed: it no longer signs in to this account.");

    private async Task<IActionResult> ChangedAsync(IReadOnlyList<string> problems, string message)
    {
        if (problems.Count == 0)
        {
            Message = message;
            return RedirectToPage();
        }

        foreach (var problem in problems)
        {
            ModelState.AddModelError(string.Empty, problem);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Held = await passkeys.OfAsync(user);
        ForgetBrowsersOffered = RememberDays > 0 && await twoStep.SecondStepsOfAsync(user) is { Passkey: true, Code: false };
        return Page();
    }
}
