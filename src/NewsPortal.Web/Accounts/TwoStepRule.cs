using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Whose accounts must sign in with two steps (<c>Security:RequireTwoStep</c>: <c>None</c>, the default, <c>Admins</c> or
/// <c>Everyone</c>), read and checked once at start-up. An account it covers that signed in with its password alone
/// reaches no editors' page but the one that sets the second step up. <paramref name="RememberBrowserFor"/>
/// (<c>Security:RememberSecondStepDays</c>, 30 days; 0 never): how long a browser whose editor asked it to be remembered
/// at the second step is not asked for it again.
/// </summary>
public sealed record TwoStepRule(TwoStepRule.Whom Required, TimeSpan RememberBrowserFor)
{
    public const string Setting = "Security:RequireTwoStep";

    public const string RememberSetting = "Security:RememberSecondStepDays";

    /// <summary>The session's claim saying how it signed in: <c>mfa</c> when it took the second step (RFC 8176's <c>amr</c>).</summary>
    public const string MethodClaim = "amr";

    /// <summary>The <see cref="MethodClaim"/> of a session that took the second step, and of one signed in with a password alone.</summary>
    public const string SecondStepTaken = "mfa", PasswordAlone = "pwd";

    private const int DefaultRememberDays = 30, MaxRememberDays = 365;

    public enum Whom
    {
        None,
        Admins,
        Everyone,
    }

    public static TwoStepRule From(IConfiguration configuration) => new(WhomFrom(configuration), RememberFrom(configuration));

    private static Whom WhomFrom(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return Whom.None;
        }

        return Enum.TryParse<Whom>(text.Trim(), ignoreCase: true, out var whom) && Enum.IsDefined(whom) && !char.IsAsciiDigit(text.Trim()[0])
            ? whom
            : throw new SettingException($"{Setting} must be None, Admins or Everyone (whose accounts must sign in with two steps); it is '{text}'.");
    }

    private static TimeSpan RememberFrom(IConfiguration configuration)
    {
        var text = configuration[RememberSetting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromDays(DefaultRememberDays);
        }

        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days <= MaxRememberDays
            ? TimeSpan.FromDays(days)
            : throw new SettingException($"{RememberSetting} must be a whole number of days from 0 (always ask) to {MaxRememberDays}; it is '{text}'.");
    }

    /// <summary>Whole days a browser is remembered for at the second step; 0 when the site always asks.</summary>
    public int RememberBrowserDays => (int)RememberBrowserFor.TotalDays;

    public bool AppliesTo(ClaimsPrincipal user) => AppliesTo(user.IsInRole(Roles.Admin));

    public bool AppliesTo(bool admin) => Required == Whom.Everyone || Required == Whom.Admins && admin;

    /// <summary>Whether this session is one the rule covers that did not take the second step (its sign-in's "amr" says which).</summary>
    public bool Lacks(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && AppliesTo(user) && user.FindFirstValue(MethodClaim) != SecondStepTaken;
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
