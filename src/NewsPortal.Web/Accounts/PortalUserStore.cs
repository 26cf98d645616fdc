using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;

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

    /// <summary>
    /// How this version stores a token's value: recovery codes hashed, the app's key encrypted with this site's keys,
    /// anything else as it is. Values already in that form are kept; a start and a store move both pass through here.
    /// </summary>
    public static string? StoredForm(string loginProvider, string name, string? value, AuthenticatorKeys keys)
        => (loginProvider, name) switch
        {
            (OwnTokens, RecoveryCodes.TokenName) => RecoveryCodes.HashedIfTyped(value),
            (OwnTokens, AuthenticatorKeys.TokenName) => keys.Protect(value),
            _ => value,
        };

    /// <summary>
    /// The other way, for a store move: a token's value as another site can take it into <see cref="StoredForm"/>. The
    /// app's key as the app holds it (this site's keys are not the other's), sealed with the move's passphrase; hashes
    /// as they are.
    /// </summary>
    public static string? MovedForm(string loginProvider, string name, string? value, AuthenticatorKeys keys, MoveSeal seal)
        => (loginProvider, name) != (OwnTokens, AuthenticatorKeys.TokenName) ? value
            : keys.Unprotect(value) is { } key ? seal.Seal(key, MoveSeal.AuthenticatorKey) : null;

    /// <summary>A moved token's value as <see cref="StoredForm"/> takes it: the app's key unsealed with the move's passphrase.</summary>
    public static (string? Value, string? Problem) OpenMoved(string loginProvider, string name, string? value, MoveSeal? seal)
        => (loginProvider, name) == (OwnTokens, AuthenticatorKeys.TokenName) ? MoveSeal.Open(seal, value, MoveSeal.AuthenticatorKey) : (value, null);

    /// <summary>What a start found among the accounts' two-step secrets.</summary>
    /// <param name="CodesHashed">Accounts whose recovery codes an earlier version stored as typed, now hashed.</param>
    /// <param name="KeysEncrypted">Authenticator keys an earlier version stored as they were, now encrypted.</param>
    /// <param name="KeysUnreadable">Authenticator keys this site's data-protection keys cannot read.</param>
    public sealed record StoredSecrets(int CodesHashed, int KeysEncrypted, int KeysUnreadable);

    /// <summary>
    /// Brings the two-step secrets an earlier version stored as they were up to how this one stores them, in one read
    /// of the accounts' tokens, and counts the authenticator keys this site cannot read: a key ring lost or not
    /// restored with the store, which the operator should hear of at the start rather than from each editor.
    /// </summary>
    public static async Task<StoredSecrets> UpgradeStoredAsync(NewsDbContext db, AuthenticatorKeys keys, CancellationToken cancellationToken)
    {
        // At most two per account with two-step sign-in: a newsroom's accounts, not its stories.
        var tokens = await db.UserTokens
            .Where(t => t.LoginProvider == OwnTokens && (t.Name == RecoveryCodes.TokenName || t.Name == AuthenticatorKeys.TokenName))
            .ToListAsync(cancellationToken);
        int hashed = 0, encrypted = 0, unreadable = 0;
        foreach (var token in tokens)
        {
            var isKey = token.Name == AuthenticatorKeys.TokenName;
            var upgraded = StoredForm(token.LoginProvider, token.Name, token.Value, keys);
            if (upgraded != token.Value)
            {
                token.Value = upgraded;
                if (isKey)
                {
                    encrypted++;
                }
                else
                {
                    hashed++;
                }
            }
            else if (isKey && !keys.CanRead(token.Value))
            {
                unreadable++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new StoredSecrets(hashed, encrypted, unreadable);
    }
}
