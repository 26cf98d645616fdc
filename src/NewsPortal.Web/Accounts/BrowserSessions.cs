using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Accounts;

public sealed record BrowserSessionView(string Id, string Browser, string? Address, DateTime SignedInAtUtc, DateTime LastSeenAtUtc, bool IsThisBrowser);

/// <summary>
/// The browsers signed in to each account, so its owner can see where and sign one out (a lost laptop) without
/// signing out the others. Every session cookie names its <see cref="BrowserSession"/>, which is checked on each
/// request with the security stamp: a session whose row is gone is signed out there and then, on every node.
/// </summary>
public sealed class BrowserSessions(NewsDbContext db, TimeProvider clock, AuditLog audit, IOptions<IdentityOptions> identity)
{
    /// <summary>The claim in the session cookie that names its row.</summary>
    public const string Claim = "newsportal:session";

    /// <summary>How long a session lasts unused (the session cookie's own lifetime, which this sets).</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromDays(14);

    /// <summary>How stale a row's last use may be: a write at most this often a browser, not on every request.</summary>
    public static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(5);

    /// <summary>The browsers an account keeps signed in at once; signing in on one more ends the longest unused.</summary>
    public const int MaxPerAccount = 30;

    public const int MaxBrowserLength = 100;

    public const string NotYours = "That browser is not signed in to your account (it may have signed out already): nothing was changed.";

    private string StampClaim => identity.Value.ClaimsIdentity.SecurityStampClaimType;

    /// <summary>
    /// Names the session a sign-in makes: a browser signed in already as the same account (signing in again after a
    /// change of password, or after its second step) goes on as the same session, anything else is a new one.
    /// </summary>
    public async Task SigningInAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity signingIn || signingIn.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return;
        }

        var stamp = signingIn.FindFirst(StampClaim)?.Value ?? "";

        // The row keeps the device; the cookie need not.
        var device = signingIn.FindFirst(KnownDevices.Claim) is { } deviceClaim && signingIn.TryRemoveClaim(deviceClaim) ? deviceClaim.Value : null;
        var current = context.HttpContext.User;
        if (current.FindFirst(ClaimTypes.NameIdentifier)?.Value == userId && current.FindFirst(Claim)?.Value is { } ongoing
            && await db.BrowserSessions.Where(s => s.Id == ongoing && s.UserId == userId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecurityStamp, stamp).SetProperty(s => s.LastSeenAtUtc, Now).SetProperty(s => s.Device, s => device ?? s.Device), context.HttpContext.RequestAborted) == 1)
        {
            signingIn.AddClaim(new Claim(Claim, ongoing));
            return;
        }

        // A browser changing accounts leaves the other account's list.
        if (current.FindFirst(Claim)?.Value is { } left && current.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } leftUser)
        {
            await db.BrowserSessions.Where(s => s.Id == left && s.UserId == leftUser).ExecuteDeleteAsync(context.HttpContext.RequestAborted);
        }

        signingIn.AddClaim(new Claim(Claim, await StartAsync(context.HttpContext, userId, stamp, device)));
    }

    /// <summary>
    /// Checks a session after its security stamp: it goes on only while its row is there. A session cookie from before
    /// this list (without the claim) is given a row rather than signed out.
    /// </summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity session || session.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return;
        }

        var cancellationToken = context.HttpContext.RequestAborted;
        var stamp = session.FindFirst(StampClaim)?.Value ?? "";
        if (session.FindFirst(Claim)?.Value is not { } id)
        {
            session.AddClaim(new Claim(Claim, await StartAsync(context.HttpContext, userId, stamp, device: null)));
            context.ShouldRenew = true;
            return;
        }

        var row = await db.BrowserSessions.AsNoTracking()
            .Where(s => s.Id == id && s.UserId == userId)
            .Select(s => new { s.SecurityStamp, s.LastSeenAtUtc })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        if (row.SecurityStamp != stamp || Now - row.LastSeenAtUtc >= TouchEvery)
        {
            await StoreDialect.NoteAsync(db.Database, () => db.BrowserSessions.Where(s => s.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecurityStamp, stamp).SetProperty(s => s.LastSeenAtUtc, Now), cancellationToken));
        }
    }

    /// <summary>The account's browsers signed in now, the one asking first, then the most recently used.</summary>
    public async Task<IReadOnlyList<BrowserSessionView>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (userId, stamp, thisOne) = Of(user);
        var since = Now - Idle;
        var rows = await db.BrowserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.SecurityStamp == stamp && s.LastSeenAtUtc > since)
            .OrderByDescending(s => s.LastSeenAtUtc)
            .Take(MaxPerAccount)
            .Select(s => new BrowserSessionView(s.Id, s.Browser, s.Address, s.SignedInAtUtc, s.LastSeenAtUtc, s.Id == thisOne))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(s => s.IsThisBrowser)];
    }

    /// <summary>
    /// Signs one of the account's other browsers out: its next request finds its session gone, and the account forgets
    /// it as a browser it knows (<see cref="KnownDevices"/>), so it needs the password, and the second step even if it
    /// was remembered for it, to sign in again. Any other session of that browser (an earlier one it never signed out
    /// of) ends with it.
    /// </summary>
    public async Task<IReadOnlyList<string>> SignOutAsync(ClaimsPrincipal user, string? id, CancellationToken cancellationToken)
    {
        var (userId, _, thisOne) = Of(user);
        if (userId is null || string.IsNullOrEmpty(id) || id == thisOne || await db.BrowserSessions.FirstOrDefaultAsync(s => s.Id == id && s.UserId == userId, cancellationToken) is not { } session)
        {
            return [NotYours];
        }

        // An earlier session of this very browser is ended, but the browser asking stays one the account knows.
        var device = session.Device;
        if (device is not null && await db.BrowserSessions.AnyAsync(s => s.Id == thisOne && s.UserId == userId && s.Device == device, cancellationToken))
        {
            device = null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.BrowserSessions.Remove(session);
        if (device is not null)
        {
            var now = Now;
            await db.BrowserSessions.Where(s => s.UserId == userId && s.Device == device && s.Id != id).ExecuteDeleteAsync(cancellationToken);
            await db.ForgottenDevices.Where(f => f.UserId == userId && f.ForgottenAtUtc <= now - KnownDevices.Lifetime).ExecuteDeleteAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ForgottenDevices" ("UserId", "Device", "ForgottenAtUtc") VALUES ({userId}, {device}, {now})
                ON CONFLICT DO NOTHING
                """, cancellationToken);
        }

        audit.Add(user.Identity?.Name ?? userId, "sign out a browser", "account", $"{session.Browser}, signed in {session.SignedInAtUtc:yyyy-MM-dd HH:mm} UTC from {session.Address ?? "an unknown address"}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }

    /// <summary>Ends this browser's session when it signs out, so it leaves the list.</summary>
    public Task EndAsync(ClaimsPrincipal user)
    {
        var (userId, _, thisOne) = Of(user);
        return thisOne is null ? Task.CompletedTask : db.BrowserSessions.Where(s => s.Id == thisOne && s.UserId == userId).ExecuteDeleteAsync();
    }

    /// <summary>A few words for a browser from its User-Agent: its name and its system, or what it is when it says neither.</summary>
    public static string Describe(string? userAgent)
    {
        var agent = userAgent ?? "";
        string? browser = agent switch
        {
            _ when agent.Contains("Edg/", StringComparison.Ordinal) => "Edge",
            _ when agent.Contains("OPR/", StringComparison.Ordinal) => "Opera",
            _ when agent.Contains("Firefox/", StringComparison.Ordinal) => "Firefox",
            _ when agent.Contains("Chrome/", StringComparison.Ordinal) || agent.Contains("Chromium/", StringComparison.Ordinal) => "Chrome",
            _ when agent.Contains("Safari/", StringComparison.Ordinal) => "Safari",
            _ => null,
        };
        string? system = agent switch
        {
            _ when agent.Contains("Android", StringComparison.Ordinal) => "Android",
            _ when agent.Contains("iPhone", StringComparison.Ordinal) || agent.Contains("iPad", StringComparison.Ordinal) => "iOS",
            _ when agent.Contains("Windows", StringComparison.Ordinal) => "Windows",
            _ when agent.Contains("Mac OS X", StringComparison.Ordinal) => "macOS",
            _ when agent.Contains("CrOS", StringComparison.Ordinal) => "ChromeOS",
            _ when agent.Contains("Linux", StringComparison.Ordinal) => "Linux",
            _ => null,
        };
        var described = (browser, system) switch
        {
            ({ } b, { } s) => $"{b} on {s}",
            ({ } b, null) => b,
            (null, { } s) => $"A browser on {s}",
            _ => Text.Line(agent) is { Length: > 0 } line ? line : "An unnamed browser",
        };
        return described.Length > MaxBrowserLength ? described[..MaxBrowserLength] : described;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private (string? UserId, string? Stamp, string? Session) Of(ClaimsPrincipal user)
        => (user.FindFirstValue(ClaimTypes.NameIdentifier), user.FindFirstValue(StampClaim), user.FindFirstValue(Claim));

    private async Task<string> StartAsync(HttpContext context, string userId, string stamp, string? device)
    {
        var cancellationToken = context.RequestAborted;
        var now = Now;

        // Rows of sessions already over go when the account signs in again, and the longest unused beyond the limit.
        await db.BrowserSessions.Where(s => s.UserId == userId && (s.SecurityStamp != stamp || s.LastSeenAtUtc <= now - Idle)).ExecuteDeleteAsync(cancellationToken);
        var beyond = await db.BrowserSessions.Where(s => s.UserId == userId)
            .OrderByDescending(s => s.LastSeenAtUtc).ThenByDescending(s => s.SignedInAtUtc).ThenBy(s => s.Id)
            .Skip(MaxPerAccount - 1).Take(MaxPerAccount).Select(s => s.Id).ToListAsync(cancellationToken);
        if (beyond.Count > 0)
        {
            await db.BrowserSessions.Where(s => beyond.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        // Written by itself: a sign-in may come in the middle of a unit of work that is not this one's to save.
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        var browser = Describe(context.Request.Headers.UserAgent.ToString());
        var address = context.Connection.RemoteIpAddress?.ToString();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "BrowserSessions" ("Id", "UserId", "SecurityStamp", "Device", "Browser", "Address", "SignedInAtUtc", "LastSeenAtUtc")
            VALUES ({id}, {userId}, {stamp}, {device}, {browser}, {address}, {now}, {now})
            """, cancellationToken);
        return id;
    }
}
