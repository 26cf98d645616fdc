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
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var owner = await tokens.FindOwnerAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is null || await users.FindByIdAsync(owner.UserId) is not { } user)
        {
            return AuthenticateResult.Fail("The API token is not valid, or has been revoked.");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("The token's account is disabled or locked.");
        }

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.UserName ?? user.Id), new("token_id", owner.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        claims.AddRange((await users.GetRolesAsync(user)).Select(role => new Claim(ClaimTypes.Role, role)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a personal API token as 'Authorization: Bearer np_…'. Editors make tokens at /admin/tokens.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed", "This token's account is not an editor or admin.");
}
