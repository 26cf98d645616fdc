using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using QRCoder;

namespace NewsPortal.Web.Accounts;

/// <summary>What a code typed at the second step of signing in turned out to be.</summary>
public enum CodeCheck
{
    Wrong,
    Accepted,
    /// <summary>A right code from the app that already signed someone in: a code seen over a shoulder is worth nothing.</summary>
    Reused,
    RecoveryCodeAccepted,
}

/// <summary>
/// Two-step sign-in: after the password, a six-digit code from an authenticator app (TOTP, RFC 6238, checked by
/// Identity's authenticator provider) or one of ten single-use recovery codes. A newsroom's accounts publish under its
/// name, and a password alone is one phishing page away from someone else's. Each change happens in one transaction
/// under the account's lock, so two tabs cannot leave it half set up, and a code signs in once.
/// </summary>
public sealed class TwoStepSignIn(
    NewsDbContext db, UserManager<PortalUser> users, AuditLog audit, IOptions<PortalOptions> portal, TimeProvider clock, TwoStepRule rule)
{
    /// <summary>What may follow an account's right password: its app's code (or a recovery code), one of its passkeys.</summary>
    public sealed record SecondSteps(bool Code, bool Passkey)
    {
        /// <summary>Whether the password alone signs nothing in.</summary>
        public bool Any => Code || Passkey;
    }

    /// <summary>
    /// The second steps a sign-in with this account's password goes on to: the app's code when two-step sign-in is on,
    /// and a passkey when the account holds one and either two-step sign-in is on or the site's rule covers it (so a
    /// passkey, not only the app, is the second step the rule asks for). Neither: the password alone signs in.
    /// </summary>
    public async Task<SecondSteps> SecondStepsOfAsync(PortalUser user)
    {
        var holdsPasskeys = await db.Set<IdentityUserPasskey<string>>().AnyAsync(p => p.UserId == user.Id);
        var passkey = holdsPasskeys && (user.TwoFactorEnabled
            || rule.Required != TwoStepRule.Whom.None && rule.AppliesTo(await users.IsInRoleAsync(user, Roles.Admin)));
        return new SecondSteps(user.TwoFactorEnabled, passkey);
    }

    public const int RecoveryCodeCount = 10;

    /// <summary>
    /// The cookie scheme that holds an account between its right password and its second step, for five minutes. Its
    /// own, not Identity's two-step scheme: Identity keeps a passkey's challenge there, and asking for a passkey at the
    /// second step would end the pending sign-in its code still needs if the passkey is cancelled.
    /// </summary>
    public const string PendingScheme = "NewsPortal.PendingSignIn";

    public static readonly TimeSpan PendingFor = TimeSpan.FromMinutes(5);

    public const string ChangedMeanwhile = "The account was changed by another request at the same moment. Nothing was changed: try again.";

    private const string TokenProvider = "NewsPortal";
    private const string LastCodeToken = "LastAuthenticatorCode";

    /// <summary>
    /// Identity's provider takes a code from two steps (a minute) either side of now, so a code stays good for about
    /// two and a half minutes; one used to sign in is refused for longer than that.
    /// </summary>
    private static readonly TimeSpan ReuseWindow = TimeSpan.FromMinutes(5);

    public sealed record Setup(string Key, string Uri, string QrSvg);

    /// <summary>The key the account's app is to hold, with its <c>otpauth://</c> address and that address as a QR code; null before one is made.</summary>
    public async Task<Setup?> SetupOfAsync(PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var issuer = portal.Value.SiteName;
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(user.Email ?? user.Id)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6");
        return new Setup(Grouped(key), uri, QrSvg(uri));
    }

    /// <summary>A new key for the app (the old one, on a lost phone say, stops working). Only while two-step sign-in is off.</summary>
    public Task<IReadOnlyList<string>> NewKeyAsync(string userId, CancellationToken cancellationToken)
        => InTransactionAsync(userId, async user =>
        {
            if (user.TwoFactorEnabled)
            {
                return ["Two-step sign-in is on: turn it off first to give your app a new key."];
            }

            return Problems(await users.ResetAuthenticatorKeyAsync(user));
        }, cancellationToken);

    /// <summary>
    /// Turns two-step sign-in on once the app shows the right code (so it holds the key), and returns the recovery
    /// codes to show once; or the problems.
    /// </summary>
    public async Task<(IReadOnlyList<string> Problems, IReadOnlyList<string> RecoveryCodes)> TurnOnAsync(string userId, string code, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> codes = [];
        var problems = await InTransactionAsync(userId, async user =>
        {
            if (user.TwoFactorEnabled)
            {
                return ["Two-step sign-in is already on."];
            }

            if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
            {
                return ["Set up your app first: the page shows the key to give it."];
            }

            if (AppCode(code) is not { } digits || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
            {
                return ["That is not the code your app shows now. Check that it holds the key above and that this device's clock is right, and type the six digits it shows."];
            }

            if (Problems(await users.SetTwoFactorEnabledAsync(user, true)) is { Count: > 0 } failed)
            {
                return failed;
            }

            codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
            audit.Add(user.Email ?? user.Id, "turn on two-step sign-in", "account");
            return [];
        }, cancellationToken);
        return (problems, problems.Count == 0 ? codes : []);
    }

    /// <summary>Ten new recovery codes in place of the old ones (used, lost or seen).</summary>
    public async Task<(IReadOnlyList<string> Problems, IReadOnlyList<string> RecoveryCodes)> NewRecoveryCodesAsync(string userId, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> codes = [];
        var problems = await InTransactionAsync(userId, async user =>
        {
            if (!user.TwoFactorEnabled)
            {
                return ["Two-step sign-in is off: recovery codes come with turning it on."];
            }

            codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
            audit.Add(user.Email ?? user.Id, "new recovery codes", "account");
            return [];
        }, cancellationToken);
        return (problems, problems.Count == 0 ? codes : []);
    }

    /// <summary>
    /// Signs the account out of every other browser (a laptop lost, shared or left signed in) with a new security stamp,
    /// which also has those remembered for the second step (<see cref="KnownDevices.TookSecondStepAsync"/>) ask for it again;
    /// the caller signs this one in again.
    /// </summary>
    public Task<IReadOnlyList<string>> SignOutOtherBrowsersAsync(string userId, CancellationToken cancellationToken)
        => InTransactionAsync(userId, async user =>
        {
            if (Problems(await users.UpdateSecurityStampAsync(user)) is { Count: > 0 } failed)
            {
                return failed;
            }

            audit.Add(user.Email ?? user.Id, "sign out other browsers", "account");
            return [];
        }, cancellationToken);

    /// <summary>
    /// Turns two-step sign-in off, by its owner (who has typed the password) or by an admin (an editor who lost their
    /// phone and codes). The key goes too, so the old app's codes are worthless; the new security stamp ends the
    /// account's other sessions.
    /// </summary>
    public Task<IReadOnlyList<string>> TurnOffAsync(string userId, string actor, CancellationToken cancellationToken)
        => InTransactionAsync(userId, async user =>
        {
            if (!user.TwoFactorEnabled)
            {
                return ["Two-step sign-in is already off for this account."];
            }

            if (Problems(await users.SetTwoFactorEnabledAsync(user, false)) is { Count: > 0 } failed)
            {
                return failed;
            }

            if (Problems(await users.ResetAuthenticatorKeyAsync(user)) is { Count: > 0 } notReset)
            {
                return notReset;
            }

            audit.Add(actor, "turn off two-step sign-in", user.Email ?? user.Id);
            return [];
        }, cancellationToken);

    /// <summary>
    /// Checks a code typed at the second step of signing in: six digits are the app's code, anything else is taken as
    /// a recovery code (spaces, hyphens and case do not matter). An accepted code is spent in the same transaction.
    /// </summary>
    public async Task<CodeCheck> CheckAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var check = CodeCheck.Wrong;
        await InTransactionAsync(userId, async user =>
        {
            if (!user.TwoFactorEnabled)
            {
                return ["off"];
            }

            if (AppCode(code) is { } digits)
            {
                if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
                {
                    return ["wrong"];
                }

                var now = clock.GetUtcNow();
                if ((await users.GetAuthenticationTokenAsync(user, TokenProvider, LastCodeToken))?.Split(':') is [var last, var at]
                    && last == digits && long.TryParse(at, CultureInfo.InvariantCulture, out var seconds)
                    && now - DateTimeOffset.FromUnixTimeSeconds(seconds) < ReuseWindow)
                {
                    check = CodeCheck.Reused;
                    return ["reused"];
                }

                var spent = await users.SetAuthenticationTokenAsync(user, TokenProvider, LastCodeToken,
                    string.Create(CultureInfo.InvariantCulture, $"{digits}:{now.ToUnixTimeSeconds()}"));
                check = spent.Succeeded ? CodeCheck.Accepted : CodeCheck.Wrong;
                return Problems(spent);
            }

            // Identity throws on an empty code rather than refusing it.
            if (RecoveryCode(code) is not { Length: > 0 } recovery)
            {
                return ["wrong"];
            }

            var redeemed = await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery);
            check = redeemed.Succeeded ? CodeCheck.RecoveryCodeAccepted : CodeCheck.Wrong;
            return Problems(redeemed);
        }, cancellationToken);
        return check;
    }

    /// <summary>The recovery codes an account has left.</summary>
    public Task<int> RecoveryCodesLeftAsync(PortalUser user) => users.CountRecoveryCodesAsync(user);

    /// <summary>The pending sign-in of an account whose password was right: whom it is for, and its security stamp then.</summary>
    public static ClaimsPrincipal Pending(PortalUser user) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, user.Id), new Claim("stamp", StampOf(user))], PendingScheme));

    /// <summary>Whether a pending sign-in still stands for <paramref name="user"/>: a password reset, disabling or a change to two-step sign-in since ends it.</summary>
    public static bool StillFor(ClaimsPrincipal pending, PortalUser user) => pending.FindFirstValue("stamp") == StampOf(user);

    private static string StampOf(PortalUser user)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user.SecurityStamp ?? "")))[..16];

    /// <summary>Six digits, spaces and hyphens aside (apps show "123 456"), or null.</summary>
    private static string? AppCode(string? code)
    {
        var digits = new string([.. (code ?? "").Where(c => c is not (' ' or '-'))]);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>A recovery code as Identity stores it, "XXXXX-XXXXX", however it was typed; empty when it cannot be one.</summary>
    private static string RecoveryCode(string? code)
    {
        var letters = new string([.. (code ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        return letters.Length == 10 ? $"{letters[..5]}-{letters[5..]}" : "";
    }

    /// <summary>The key in groups of four, as apps that take it typed show it.</summary>
    private static string Grouped(string key)
        => string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();

    /// <summary>
    /// The address as an SVG QR code, one path of its dark modules: no style attributes (the Content-Security-Policy
    /// refuses inline styles) and no image address to allow.
    /// </summary>
    private static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var path = new StringBuilder();
        for (var y = 0; y < modules.Count; y++)
        {
            for (var x = 0; x < modules[y].Length; x++)
            {
                if (modules[y][x])
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
                }
            }
        }

        // The matrix includes the standard's quiet zone (four modules all round), drawn white by the rectangle, so the
        // code scans on the dark theme's ground too.
        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {modules.Count} {modules.Count}" width="{modules.Count * 5}" height="{modules.Count * 5}" shape-rendering="crispEdges" role="img" aria-label="QR code of the key"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="{path}"/></svg>""");
    }

    public static IReadOnlyList<string> Problems(IdentityResult result) => result.Succeeded ? [] : [.. result.Errors
        .Select(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure) ? ChangedMeanwhile : e.Description).Distinct()];

    private Task<IReadOnlyList<string>> InTransactionAsync(string userId, Func<PortalUser, Task<IReadOnlyList<string>>> change, CancellationToken cancellationToken)
        => InAccountTransactionAsync(db, users, userId, change, cancellationToken);

    /// <summary>
    /// Runs <paramref name="change"/> on the account, read afresh, in a transaction holding the account's lock; commits
    /// only when it reports no problem, so a failure part-way leaves the account as it was. Every change to how an
    /// account signs in (its two-step sign-in, its passkeys) goes through here.
    /// </summary>
    public static async Task<IReadOnlyList<string>> InAccountTransactionAsync(
        NewsDbContext db, UserManager<PortalUser> users, string userId, Func<PortalUser, Task<IReadOnlyList<string>>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await StoreDialect.Of(db.Database).LockForTransactionAsync(db, "account:" + userId, cancellationToken);
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return ["No such user."];
        }

        // The request's sign-in check loaded the account before the lock was taken: read what is stored now.
        await db.Entry(user).ReloadAsync(cancellationToken);
        IReadOnlyList<string> problems;
        try
        {
            problems = await change(user);
            if (problems.Count == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return problems;
            }
        }
        catch (DbUpdateException)
        {
            problems = [ChangedMeanwhile];
        }

        // Nothing of a refused change stays in the unit of work for a later save (the audit's, say) to write.
        db.ChangeTracker.Clear();
        return problems;
    }
}
