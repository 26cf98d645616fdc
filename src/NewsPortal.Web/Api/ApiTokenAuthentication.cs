using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Web.Api;

/// <summary>
/// <c>Authorization: Bearer np_…</c> for the API. Only this scheme authorises API writes: a browser's cookie session
/// never does, so a page elsewhere cannot make a signed-in editor's browser write through the API.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    UserManager<PortalUser> users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The API takes only personal tokens, as 'Authorization: Bearer np_…'.");
        }

        var owner = await tokens.FindOwnerAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is null || await users.FindByIdAsync(owner.UserId) is not { } user)
        {
            return AuthenticateResult.Fail("The API token is not valid, or has been revoked.");
        }

        // Disabled, not merely locked: five wrong passwords from anyone lock the sign-in form for a while, and must
        // not also cut off the account's scripts.
        if (UserService.IsDisabled(user))
        {
            return AuthenticateResult.Fail("The token's account is disabled.");
        }

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.UserName ?? user.Id), new("token_id", owner.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        claims.AddRange((await users.GetRolesAsync(user)).Select(role => new Claim(ClaimTypes.Role, role)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var refused = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            (refused is null ? "Send a personal API token as 'Authorization: Bearer np_…'." : refused) + " Editors make tokens at /admin/tokens.");
    }

    /// <summary>
    /// A request that sends credentials gets an answer for those credentials: one the API cannot accept (a mistyped,
    /// revoked or made-up token, another scheme) is a 401 on every route, reads included, rather than being served as
    /// anonymous (which would let a made-up token per request slip past the per-address rate limit and the cache).
    /// </summary>
    public static async ValueTask<object?> RefuseUnacceptedCredentials(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers.Authorization.Count > 0 && !(await http.AuthenticateAsync(SchemeName)).Succeeded)
        {
            await http.ChallengeAsync(SchemeName);
            return Results.Empty;
        }

        return await next(context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed", "This token's account is not an editor or admin.");
}
