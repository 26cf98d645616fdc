using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Api;

namespace NewsPortal.Web.Admin;

public sealed class TokensModel(ApiTokenService tokens) : PageModel
{
    public IReadOnlyList<ApiTokenRow> Tokens { get; private set; } = [];

    /// <summary>The token just made; kept out of TempData and logs, shown on this one response only.</summary>
    public string? NewToken { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    /// <summary>Other accounts' live tokens, newest first, shown to admins only.</summary>
    public IReadOnlyList<OthersTokenRow> OthersTokens { get; private set; } = [];

    /// <summary>How many of other accounts' tokens the page lists; past that, disabling an account revokes all of its.</summary>
    public const int OthersShown = 200;

    private bool IsAdmin => User.IsInRole(Accounts.Roles.Admin);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Tokens = await tokens.ListAsync(UserId, cancellationToken);
        if (IsAdmin)
        {
            OthersTokens = await tokens.ListLiveOfOthersAsync(UserId, OthersShown, cancellationToken);
        }
    }

    /// <summary>Makes a token that expires in one of <see cref="ApiTokenService.Lifetimes"/> days (none given: never).</summary>
    public async Task<IActionResult> OnPostCreateAsync(string? name, string? days, CancellationToken cancellationToken)
    {
        // Read as text: a lifetime that does not bind as a number would otherwise arrive as "never", the longest.
        var lifetime = string.IsNullOrEmpty(days) ? null : int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : (int?)-1;
        if (string.IsNullOrWhiteSpace(name))
        {
            // The name is how its owner tells which token to revoke when a script is retired or a token leaks.
            ModelState.AddModelError(string.Empty, NameNeeded);
        }
        else if (!ApiTokenService.Lifetimes.Contains(lifetime))
        {
            var choices = ApiTokenService.Lifetimes.OfType<int>().ToList();
            ModelState.AddModelError(string.Empty, $"A token expires in {string.Join(", ", choices[..^1])} or {choices[^1]} days, or never; '{Shared.Text.Cut(days!, 20)}' is none of these.");
        }
        else if ((NewToken = await tokens.CreateAsync(UserId, User.Identity!.Name!, name, lifetime, cancellationToken)) is null)
        {
            ModelState.AddModelError(string.Empty, ApiTokenService.TooManyTokens);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    /// <summary>What the form says when a token is asked for without a name.</summary>
    public const string NameNeeded = "Give the token a name that says what it is for, such as \"import script\".";

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
        => await tokens.RevokeAsync(UserId, User.Identity!.Name!, id, cancellationToken, anyAccount: IsAdmin) ? RedirectToPage() : NotFound();
}
