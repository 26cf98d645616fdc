using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Whose accounts must sign in with two steps (<c>Security:RequireTwoStep</c>: <c>None</c>, the default, <c>Admins</c> or
/// <c>Everyone</c>), read and checked once at start-up. An account it covers that signed in with its password alone
/// reaches no editors' page but the one that sets the second step up.
/// </summary>
public sealed record TwoStepRule(TwoStepRule.Whom Required)
{
    public const string Setting = "Security:RequireTwoStep";

    public enum Whom
    {
        None,
        Admins,
        Everyone,
    }

    public static TwoStepRule From(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TwoStepRule(Whom.None);
        }

        return Enum.TryParse<Whom>(text.Trim(), ignoreCase: true, out var whom) && Enum.IsDefined(whom) && !char.IsAsciiDigit(text.Trim()[0])
            ? new TwoStepRule(whom)
            : throw new SettingException($"{Setting} must be None, Admins or Everyone (whose accounts must sign in with two steps); it is '{text}'.");
    }

    public bool AppliesTo(ClaimsPrincipal user) => AppliesTo(user.IsInRole(Roles.Admin));

    public bool AppliesTo(bool admin) => Required == Whom.Everyone || Required == Whom.Admins && admin;

    /// <summary>Whether this session is one the rule covers that did not take the second step (its sign-in's "amr" says which).</summary>
    public bool Lacks(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && AppliesTo(user) && user.FindFirstValue("amr") != "mfa";
}

/// <summary>Sends a session <see cref="TwoStepRule"/> covers, signed in with a password alone, to set the second step up.</summary>
public sealed class TwoStepRequired(TwoStepRule rule) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (rule.Lacks(context.HttpContext.User))
        {
            context.Result = new LocalRedirectResult("/admin/two-step");
            return;
        }

        await next();
    }
}
