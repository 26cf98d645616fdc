using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Web.Admin;

public sealed class UsersModel(UserService users) : PageModel
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
