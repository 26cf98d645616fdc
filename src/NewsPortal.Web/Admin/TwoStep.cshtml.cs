using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Web.Admin;

/// <summary>Each editor's own two-step sign-in: setting up the app, turning it on and off, and recovery codes.</summary>
public sealed class TwoStepModel(
    UserManager<PortalUser> users, TwoStepSignIn twoStep, UserService accounts, SignInAttempts attempts, TwoStepRule rule) : PageModel
{
    public bool On { get; private set; }

    /// <summary>Set when the site requires this account to sign in with two steps and this session did not (see <see cref="TwoStepRule"/>).</summary>
    public bool Required => !_tookSecondStep && rule.Lacks(User);

    private bool _tookSecondStep;

    public TwoStepSignIn.Setup? Setup { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>How many days a browser can skip the second step once its editor asks (<see cref="TwoStepRule.RememberBrowserFor"/>); 0: never.</summary>
    public int RememberDays => rule.RememberBrowserDays;

    /// <summary>Recovery codes just made: shown on this response only, never stored where they could be read back.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    private string UserId => users.GetUserId(User)!;

    public async Task<IActionResult> OnGetAsync() => await ShowAsync();

    public async Task<IActionResult> OnPostKeyAsync(CancellationToken cancellationToken)
        => await ChangedAsync(await twoStep.NewKeyAsync(UserId, cancellationToken), message: null);

    public async Task<IActionResult> OnPostOnAsync(CancellationToken cancellationToken)
    {
        var (problems, codes) = await twoStep.TurnOnAsync(UserId, Code ?? "", cancellationToken);
        if (problems.Count > 0)
        {
            return await RefusedAsync(problems);
        }

        // The app's code just typed is this session's second step.
        if (await users.FindByIdAsync(UserId) is { } user)
        {
            await accounts.SignInAgainAsync(HttpContext, user, tookSecondStep: true);
            _tookSecondStep = true;
        }

        RecoveryCodes = codes;
        Message = "Two-step sign-in is on: signing in now asks for a code from your app after your password. Any other browser signed in as you has been signed out.";
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostCodesAsync(CancellationToken cancellationToken)
    {
        var (problems, codes) = await twoStep.NewRecoveryCodesAsync(UserId, cancellationToken);
        if (problems.Count > 0)
        {
            return await RefusedAsync(problems);
        }

        RecoveryCodes = codes;
        Message = "New recovery codes: the old ones no longer work.";
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostForgetBrowsersAsync(CancellationToken cancellationToken)
        => await ChangedAsync(await twoStep.SignOutOtherBrowsersAsync(UserId, cancellationToken), PasskeysModel.Forgotten);

    public async Task<IActionResult> OnPostOffAsync(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (rule.AppliesTo(User))
        {
            return await RefusedAsync([$"This site requires two-step sign-in for your account ({TwoStepRule.Setting}), so it stays on. For a new phone, make new recovery codes here or ask an admin to turn it off, then set it up again."]);
        }

        // The password, because whoever finds a browser left signed in should not be able to take the second step away.
        var problems = await attempts.TryPasswordChangeAsync(user.Id)
            ? await accounts.CheckOwnPasswordAsync(user, Password ?? "", "turn off two-step sign-in")
            : [PasswordModel.TooManyTries];
        if (problems.Count == 0)
        {
            problems = await twoStep.TurnOffAsync(user.Id, user.Email ?? user.Id, cancellationToken);
        }

        return await ChangedAsync(problems, "Two-step sign-in is off: your password alone signs you in. Any other browser signed in as you has been signed out.");
    }

    private async Task<IActionResult> ChangedAsync(IReadOnlyList<string> problems, string? message)
    {
        if (problems.Count > 0)
        {
            return await RefusedAsync(problems);
        }

        if (await users.FindByIdAsync(UserId) is { } user)
        {
            await accounts.SignInAgainAsync(HttpContext, user);
        }

        Message = message;
        return RedirectToPage();
    }

    private async Task<IActionResult> RefusedAsync(IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            ModelState.AddModelError(string.Empty, problem);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        if (await users.FindByIdAsync(UserId) is not { } user)
        {
            return Challenge();
        }

        On = user.TwoFactorEnabled;
        Setup = On ? null : await twoStep.SetupOfAsync(user);
        RecoveryCodesLeft = On ? await twoStep.RecoveryCodesLeftAsync(user) : 0;
        return Page();
    }
}
