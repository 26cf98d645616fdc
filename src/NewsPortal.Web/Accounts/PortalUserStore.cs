using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Accounts;

/// <summary>Identity's store for accounts, with their recovery codes kept as <see cref="RecoveryCodes"/> hashes.</summary>
public sealed class PortalUserStore(NewsDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<PortalUser, IdentityRole, NewsDbContext>(context, describer)
{
    public override Task ReplaceCodesAsync(PortalUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default)
        => SetTokenAsync(user, RecoveryCodes.Provider, RecoveryCodes.TokenName, RecoveryCodes.Hashed(recoveryCodes), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(PortalUser user, string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(code);
        var stored = await GetTokenAsync(user, RecoveryCodes.Provider, RecoveryCodes.TokenName, cancellationToken);
        if (!RecoveryCodes.TryRedeem(stored, code, out var left))
        {
            return false;
        }

        await SetTokenAsync(user, RecoveryCodes.Provider, RecoveryCodes.TokenName, left, cancellationToken);
        return true;
    }
}
