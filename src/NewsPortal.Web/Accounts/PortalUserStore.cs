using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Identity's store for accounts, with their recovery codes kept as <see cref="RecoveryCodes"/> hashes and their
/// authenticator keys encrypted (<see cref="AuthenticatorKeys"/>).
/// </summary>
public sealed class PortalUserStore(NewsDbContext context, AuthenticatorKeys keys, IdentityErrorDescriber? describer = null)
    : UserStore<PortalUser, IdentityRole, NewsDbContext>(context, describer)
{
    /// <summary>The login provider Identity's store keeps its own tokens under (authenticator keys, recovery codes).</summary>
    public const string OwnTokens = "[AspNetUserStore]";

    public override Task SetAuthenticatorKeyAsync(PortalUser user, string key, CancellationToken cancellationToken = default)
        => SetTokenAsync(user, OwnTokens, AuthenticatorKeys.TokenName, keys.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(PortalUser user, CancellationToken cancellationToken = default)
        => keys.Unprotect(await GetTokenAsync(user, OwnTokens, AuthenticatorKeys.TokenName, cancellationToken));

    public override Task ReplaceCodesAsync(PortalUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default)
        => SetTokenAsync(user, OwnTokens, RecoveryCodes.TokenName, RecoveryCodes.Hashed(recoveryCodes), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(PortalUser user, string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(code);
        var stored = await GetTokenAsync(user, OwnTokens, RecoveryCodes.TokenName, cancellationToken);
        if (!RecoveryCodes.TryRedeem(stored, code, out var left))
        {
            return false;
        }

        await SetTokenAsync(user, OwnTokens, RecoveryCodes.TokenName, left, cancellationToken);
        return true;
    }
}
