using Microsoft.AspNetCore.DataProtection;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Accounts' authenticator keys as the store keeps them, encrypted (see <see cref="StoredSecrets"/>), so that a copy of
/// the store alone cannot make an account's codes. Unlike recovery codes they cannot be hashed: the site works the
/// codes out from them.
/// </summary>
public sealed class AuthenticatorKeys(IDataProtectionProvider protection, ILogger<AuthenticatorKeys> logger)
    : StoredSecrets(protection, "NewsPortal.Accounts.AuthenticatorKeys", logger)
{
    /// <summary>The name Identity's store keeps an account's authenticator key under, among its tokens.</summary>
    public const string TokenName = "AuthenticatorKey";

    protected override string Name => "An authenticator key";

    protected override string Remedy => "its account can sign in with a recovery code";
}
