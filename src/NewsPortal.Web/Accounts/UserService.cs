using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Accounts;

public sealed record UserRow(string Id, string Email, IReadOnlyList<string> Roles, bool Disabled, bool TwoStep, DateTime CreatedAtUtc, int Passkeys);

/// <summary>Editors and admins: adding them, resetting passwords, disabling and enabling. No account has a built-in password.</summary>
public sealed class UserService(
    Data.NewsDbContext db, UserManager<PortalUser> users, RoleManager<IdentityRole> roles, Api.ApiTokenService tokens, AuditLog audit, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<IdentityOptions> identity, ILogger<UserService> logger, SignInManager<PortalUser> signIn, KnownDevices devices)
{
    /// <summary>
    /// Ends a sign-in that passed every check, whichever way it came (password, password and code, passkey): the failed
    /// count is reset, a pending second step or passkey challenge ends, the session starts with how it was proved
    /// (<paramref name="method"/>, its <c>amr</c> claim), the browser is remembered (and, with
    /// <paramref name="rememberSecondStep"/>, for the second step it took), and the audit log says so.
    /// </summary>
    public async Task SignInAsync(HttpContext context, PortalUser user, string? device, string method, string? how = null, bool rememberSecondStep = false)
    {
        await ResetFailedSignInsAsync(user);
        await context.SignOutAsync(TwoStepSignIn.PendingScheme);
        device = await devices.RememberAsync(context, user, device, rememberSecondStep);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(TwoStepRule.MethodClaim, method), new Claim(KnownDevices.Claim, device)]);
        await audit.RecordAsync(user.Email ?? user.Id, "sign in", "account", how);
    }

    /// <summary>
    /// Signs this browser in again after a change to the account (its password, its two-step sign-in) gave it a new
    /// security stamp, which signs out every session: this one goes on and stays a browser the account knows (the new
    /// stamp made every device cookie stale, and a flood of guesses at the sign-in form must not keep its owner out); the
    /// others stay out. <paramref name="tookSecondStep"/>: the change was itself this session's second step (the app's
    /// first code, or a new passkey, after the password), and the session now says so.
    /// </summary>
    public async Task SignInAgainAsync(HttpContext context, PortalUser user, bool tookSecondStep = false)
    {
        var device = await devices.RememberAsync(context, user, device: null);
        var method = tookSecondStep ? TwoStepRule.SecondStepTaken : context.User.FindFirstValue(TwoStepRule.MethodClaim) ?? TwoStepRule.PasswordAlone;
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(TwoStepRule.MethodClaim, method), new Claim(KnownDevices.Claim, device)]);
    }

    /// <summary>What the accounts table holds (Identity's column), and what the longest address in use is well within.</summary>
    public const int MaxEmailLength = 256;

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public async Task<List<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        // One statement for the accounts and their roles, rather than Identity's GetRolesAsync once per account.
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new
            {
                User = u,
                Roles = db.UserRoles.Where(link => link.UserId == u.Id)
                    .Join(db.Roles, link => link.RoleId, role => role.Id, (link, role) => role.Name!).OrderBy(name => name).ToList(),
                Passkeys = db.Set<IdentityUserPasskey<string>>().Count(p => p.UserId == u.Id),
            })
            .ToListAsync(cancellationToken);
        return [.. all.Select(row => new UserRow(row.User.Id, row.User.Email ?? row.User.UserName ?? "", row.Roles, IsDisabled(row.User), row.User.TwoFactorEnabled, row.User.CreatedAtUtc, row.Passkeys))];
    }

    /// <summary>Adds a user with a role and a first password; returns the problems, or none.</summary>
    public async Task<IReadOnlyList<string>> AddAsync(string email, string password, string role, string actor)
    {
        if (!Roles.All.Contains(role))
        {
            return [$"The role must be {string.Join(" or ", Roles.All)}."];
        }

        if (email.Trim().Length > MaxEmailLength)
        {
            return [$"The email address can be at most {MaxEmailLength} characters long."];
        }

        await EnsureRolesAsync();
        var user = new PortalUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, CreatedAtUtc = clock.GetUtcNow().UtcDateTime };
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user, password);
        }
        catch (Exception ex) when (Data.StoreDialect.IsDuplicateKey(ex))
        {
            // Another admin added the same address between Identity's check and its save.
            return [AccountExists(email)];
        }

        if (!created.Succeeded)
        {
            // The address is both the user name and the email, so Identity says one thing twice, or (racing another
            // admin's add) either half of it: one sentence says it whichever way it was found.
            return [.. created.Errors.Select(e => e.Code is "DuplicateUserName" or "DuplicateEmail" ? AccountExists(email) : e.Description).Distinct()];
        }

        await users.AddToRoleAsync(user, role);
        await audit.RecordAsync(actor, "add user", user.Email, role);
        logger.LogInformation("Added {Role} {Email}", role, user.Email);
        return [];
    }

    private static string AccountExists(string email) => $"There is already an account for '{email.Trim()}'.";

    /// <summary>What an admin is told who resets their own password here: one's own is changed knowing the current one.</summary>
    public const string ResetOwnPassword = "To change your own password, use Your password: it asks for the current one.";

    /// <summary>
    /// An admin's reset of another account's password (forgotten, or locked out by wrong ones): it also lifts a lockout
    /// that wrong passwords caused, signs the account's sessions out and revokes its API tokens.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResetPasswordAsync(string id, string newPassword, string actor)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return ["No such user."];
        }

        if (string.Equals(user.Email, actor, StringComparison.OrdinalIgnoreCase))
        {
            return [ResetOwnPassword];
        }

        if (await SetPasswordAsync(user, newPassword) is { Count: > 0 } problems)
        {
            return problems;
        }

        await audit.RecordAsync(actor, "reset password", user.Email ?? id);
        await RevokeTokensAsync(user, actor);
        return [];
    }

    /// <summary>What the change of one's own password says when the current password typed is not the account's.</summary>
    public const string WrongCurrentPassword = "That is not your current password. Nothing was changed.";

    /// <summary>What it says once wrong passwords have locked the account for a while.</summary>
    public const string TooManyWrongPasswords = "Too many wrong passwords have been tried for this account: wait a few minutes and try again.";

    /// <summary>
    /// An editor's change of their own password, from the first one an admin gave them, say. The current password must
    /// be right, and a wrong one counts towards the lockout from any browser: only someone holding the account's
    /// session can guess here (a session left open at a desk), so unlike at sign-in no outsider can lock its owner out
    /// this way. The new security stamp signs the account's other sessions out; the caller signs this one in again.
    /// API tokens stay: each is revoked on its own page.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangeOwnPasswordAsync(PortalUser user, string current, string newPassword)
    {
        if (await CheckOwnPasswordAsync(user, current, "change password") is { Count: > 0 } wrong)
        {
            return wrong;
        }

        if (await SetPasswordAsync(user, newPassword) is { Count: > 0 } problems)
        {
            return problems;
        }

        await audit.RecordAsync(user.Email ?? user.Id, "change password", "account");
        return [];
    }

    /// <summary>
    /// Checks the current password a signed-in account types to change its own security (<paramref name="action"/> names
    /// the change for the audit log): a wrong one counts towards the lockout, as at sign-in.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckOwnPasswordAsync(PortalUser user, string current, string action)
    {
        if (await users.IsLockedOutAsync(user))
        {
            return [TooManyWrongPasswords];
        }

        if (!await users.CheckPasswordAsync(user, current))
        {
            await CountFailedSignInAsync(user);
            await audit.RecordAsync(user.Email ?? user.Id, action + " failed", "account");
            return [WrongCurrentPassword];
        }

        return [];
    }

    /// <summary>
    /// Sets the password through a reset token, since each caller has already checked who may (the admin's role, or the
    /// current password), with a new security stamp that ends the account's sessions; then forgets wrong passwords.
    /// </summary>
    private async Task<IReadOnlyList<string>> SetPasswordAsync(PortalUser user, string newPassword)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var set = await users.ResetPasswordAsync(user, token, newPassword);
        if (!set.Succeeded)
        {
            // Identity's concurrency check: the account was saved by another request between the read and this write.
            return [.. set.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)
                ? "The account was changed by another request at the same moment. Nothing was changed: try again."
                : e.Description)];
        }

        await ResetFailedSignInsAsync(user, passwordChanged: true);
        return [];
    }

    /// <summary>Whether an admin disabled the account (locked out for good, not for a while after wrong passwords).</summary>
    public static bool IsDisabled(PortalUser user) => user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow.AddYears(100);

    /// <summary>Disabling locks the account out indefinitely and ends its sessions at their next check.</summary>
    public async Task<IReadOnlyList<string>> SetDisabledAsync(string id, bool disabled, string actor)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return ["No such user."];
        }

        if (disabled && string.Equals(user.Email, actor, StringComparison.OrdinalIgnoreCase))
        {
            return ["You cannot disable your own account."];
        }

        // One statement rather than Identity's three read-then-writes, each checked against the row's concurrency stamp:
        // two admins (or two clicks) at once failed those checks, left the row dirty in the unit of work, and the audit
        // entry's save then failed on it, a 500. A new security stamp ends the account's sessions at their next check.
        DateTimeOffset? end = disabled ? DateTimeOffset.MaxValue : null;
        await users.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.LockoutEnabled, true)
            .SetProperty(u => u.LockoutEnd, end)
            .SetProperty(u => u.SecurityStamp, NewStamp())
            .SetProperty(u => u.ConcurrencyStamp, NewStamp()));
        await audit.RecordAsync(actor, disabled ? "disable user" : "enable user", user.Email ?? id);
        if (disabled)
        {
            await RevokeTokensAsync(user, actor);
        }

        return [];
    }

    /// <summary>
    /// Counts a wrong password towards the lockout, and at the limit locks the account for a while, in one statement.
    /// Identity's read-then-write lost most of a burst of guesses at one account to its concurrency check (twenty at
    /// once counted two or three, and never locked it) and left the row dirty for the audit entry's save, a 500. An
    /// account an admin disabled stays disabled.
    /// </summary>
    public Task CountFailedSignInAsync(PortalUser user)
    {
        var lockout = identity.Value.Lockout;
        var limit = lockout.MaxFailedAccessAttempts;
        // Identity's lockout check reads the system clock, not the app's TimeProvider.
        DateTimeOffset? until = DateTimeOffset.UtcNow + lockout.DefaultLockoutTimeSpan;
        DateTimeOffset? disabledUntil = DateTimeOffset.MaxValue;
        return users.Users.Where(u => u.Id == user.Id && u.LockoutEnabled && (u.LockoutEnd == null || u.LockoutEnd != disabledUntil))
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.LockoutEnd, u => u.AccessFailedCount + 1 >= limit ? until : u.LockoutEnd)
                .SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1 >= limit ? 0 : u.AccessFailedCount + 1));
    }

    /// <summary>
    /// Clears the count of wrong passwords after a right one, in one statement, for the same reason. After a password
    /// change it also lifts a lockout they caused (guesses at the old one), and the owner need not wait it out; a
    /// right password alone does not, so a browser the account knows, let past the lockout, does not reopen the
    /// account to the guesses that caused it. An account an admin disabled stays disabled.
    /// </summary>
    public Task ResetFailedSignInsAsync(PortalUser user, bool passwordChanged = false)
    {
        DateTimeOffset? disabledUntil = DateTimeOffset.MaxValue;
        return users.Users.Where(u => u.Id == user.Id && (u.AccessFailedCount != 0 || passwordChanged && u.LockoutEnd != null && u.LockoutEnd != disabledUntil))
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.AccessFailedCount, 0)
                .SetProperty(u => u.LockoutEnd, u => !passwordChanged || u.LockoutEnd == disabledUntil ? u.LockoutEnd : null));
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private async Task RevokeTokensAsync(PortalUser user, string actor)
    {
        if (await tokens.RevokeAllAsync(user.Id) is > 0 and var revoked)
        {
            await audit.RecordAsync(actor, "revoke tokens", user.Email ?? user.Id, $"{revoked} token(s)");
        }
    }

    /// <summary>Creates the first admin from configuration (Admin:Email, Admin:Password) when that account does not exist yet.</summary>
    public async Task EnsureConfiguredAdminAsync(IConfiguration configuration)
    {
        await EnsureRolesAsync();
        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];
        var hasEmail = !string.IsNullOrWhiteSpace(email);
        var hasPassword = !string.IsNullOrEmpty(password);
        if (!hasEmail && !hasPassword)
        {
            return;
        }

        // An email already stored needs no password: its admin was made by an earlier start, or by another node.
        if (hasEmail && await users.FindByEmailAsync(email!) is not null)
        {
            return;
        }

        // One without the other made no admin and said nothing, leaving a newcomer at a sign-in page nobody can pass.
        if (!hasEmail || !hasPassword)
        {
            logger.LogWarning("No admin was created from configuration: {Missing} is not set, and Admin:Email and Admin:Password go together",
                hasEmail ? "Admin:Password" : "Admin:Email");
            return;
        }

        var problems = await AddAsync(email!, password!, Roles.Admin, "configuration");
        foreach (var problem in problems)
        {
            logger.LogError("The admin from configuration (Admin:Email {Email}) was not created: {Problem}", email, problem);
        }
    }
}
