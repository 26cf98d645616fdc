using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Api;

public sealed record ApiTokenRow(int Id, string Name, string Prefix, DateTime CreatedAtUtc, DateTime? LastUsedAtUtc, bool Revoked, DateTime? ExpiresAtUtc);

public sealed record ApiTokenOwner(string UserId, string UserName, int TokenId);

/// <summary>A live token of another account, as an admin sees it to revoke it.</summary>
public sealed record OthersTokenRow(int Id, string Owner, string Name, string Prefix, DateTime CreatedAtUtc, DateTime? LastUsedAtUtc, DateTime? ExpiresAtUtc);

/// <summary>Personal API tokens: made and revoked by their owner in the admin area, stored only as hashes.</summary>
public sealed class ApiTokenService(NewsDbContext db, AuditLog audit, TimeProvider clock)
{
    private const string Scheme = "np_";

    /// <summary>Last use is written at most this often per token: a busy script would otherwise make every API request a write.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    /// <summary>The lifetimes an editor can choose, in days; null for a token that lasts until revoked.</summary>
    public static readonly IReadOnlyList<int?> Lifetimes = [30, 90, 365, null];

    /// <summary>How many live tokens an account may hold: one per script is a handful; hundreds are a leak waiting to happen, or a loop.</summary>
    public const int MaxLiveTokens = 20;

    /// <summary>How many of an account's revoked and expired tokens its list shows, newest first.</summary>
    public const int EndedShown = 30;

    /// <summary>
    /// The account's live tokens (all of them, newest first; <see cref="MaxLiveTokens"/> at most since the limit, a few
    /// more for an account that made them before) then its newest ended ones: a page of a bounded size, however many
    /// tokens an account has made and revoked over the years.
    /// </summary>
    public async Task<List<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId);
        var rows = await mine.Where(t => t.RevokedAtUtc == null && (t.ExpiresAtUtc == null || t.ExpiresAtUtc > now))
            .OrderByDescending(t => t.Id).Take(LiveShown).Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAtUtc, t.LastUsedAtUtc, false, t.ExpiresAtUtc))
            .ToListAsync(cancellationToken);
        rows.AddRange(await mine.Where(t => t.RevokedAtUtc != null || (t.ExpiresAtUtc != null && t.ExpiresAtUtc <= now))
            .OrderByDescending(t => t.Id).Take(EndedShown).Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAtUtc, t.LastUsedAtUtc, t.RevokedAtUtc != null, t.ExpiresAtUtc))
            .ToListAsync(cancellationToken));
        return rows;
    }

    /// <summary>How many live tokens the list shows at most (an account past the limit from before it keeps its tokens).</summary>
    private const int LiveShown = 200;

    /// <summary>
    /// Makes a token named <paramref name="name"/> (not blank: the form asks for one) and returns it: the only time it
    /// is ever shown. Null when the account already holds <see cref="MaxLiveTokens"/> live tokens (see
    /// <see cref="TooManyTokens"/>).
    /// </summary>
    public async Task<string?> CreateAsync(string userId, string userName, string name, int? days = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        // Creates racing from two tabs or a looping script each counted the tokens before any was stored: all were made.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await StoreDialect.Of(db.Database).LockForTransactionAsync(db, "api-tokens:" + userId, cancellationToken);
        if (await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAtUtc == null && (t.ExpiresAtUtc == null || t.ExpiresAtUtc > now))
            .OrderBy(t => t.Id).Take(MaxLiveTokens).CountAsync(cancellationToken) >= MaxLiveTokens)
        {
            return null;
        }

        var token = Scheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var stored = Shared.Text.Cut(name.Trim(), 100);
        db.ApiTokens.Add(new ApiToken
        {
            UserId = userId,
            Name = stored,
            Hash = Hash(token),
            Prefix = token[..10],
            CreatedAtUtc = now,
            ExpiresAtUtc = days is { } lifetime ? now.AddDays(lifetime) : null,
        });
        audit.Add(userName, "create token", stored);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }

    /// <summary>What an account at the limit is told when it asks for another token.</summary>
    public static readonly string TooManyTokens =
        $"You have {MaxLiveTokens} live tokens, the most an account may hold. Revoke one you no longer use, then make the new one.";

    /// <summary>
    /// The newest live tokens of every other account, at most <paramref name="take"/>: for an admin to revoke one that
    /// leaked or outlived its script, without disabling its owner.
    /// </summary>
    public Task<List<OthersTokenRow>> ListLiveOfOthersAsync(string userId, int take, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId != userId && t.RevokedAtUtc == null && (t.ExpiresAtUtc == null || t.ExpiresAtUtc > now))
            .OrderByDescending(t => t.Id).Take(take)
            .Select(t => new OthersTokenRow(t.Id, t.User!.UserName!, t.Name, t.Prefix, t.CreatedAtUtc, t.LastUsedAtUtc, t.ExpiresAtUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the user's own live tokens, or, for an admin (<paramref name="anyAccount"/>), anyone's.</summary>
    public async Task<bool> RevokeAsync(string userId, string userName, int id, CancellationToken cancellationToken = default, bool anyAccount = false)
    {
        var token = await db.ApiTokens.Include(t => t.User)
            .SingleOrDefaultAsync(t => t.Id == id && (anyAccount || t.UserId == userId) && t.RevokedAtUtc == null, cancellationToken);
        if (token is null)
        {
            return false;
        }

        token.RevokedAtUtc = clock.GetUtcNow().UtcDateTime;
        audit.Add(userName, "revoke token", token.UserId == userId ? token.Name : $"{token.Name} (of {token.User!.UserName})");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Revokes every live token of an account, as its password is reset or it is disabled: a token made by whoever
    /// had the account must not outlast the fix. Returns how many were revoked.
    /// </summary>
    public Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
    }

    /// <summary>The owner of a live token, or null; notes when it was last used.</summary>
    public async Task<ApiTokenOwner?> FindOwnerAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!token.StartsWith(Scheme, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAtUtc == null && (t.ExpiresAtUtc == null || t.ExpiresAtUtc > now))
            .Select(t => new { Owner = new ApiTokenOwner(t.UserId, t.User!.UserName!, t.Id), t.LastUsedAtUtc })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is not null && (found.LastUsedAtUtc is not { } last || now - last >= LastUseResolution))
        {
            await StoreDialect.NoteAsync(db.Database,
                () => db.ApiTokens.Where(t => t.Id == found.Owner.TokenId).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAtUtc, now), cancellationToken));
        }

        return found?.Owner;
    }

    /// <summary>SHA-256 is right here: tokens are long and random, so there is nothing for a slow hash to protect.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
