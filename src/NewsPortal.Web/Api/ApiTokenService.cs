using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Api;

public sealed record ApiTokenRow(int Id, string Name, string Prefix, DateTime CreatedAtUtc, DateTime? LastUsedAtUtc, bool Revoked);

public sealed record ApiTokenOwner(string UserId, string UserName, int TokenId);

/// <summary>Personal API tokens: made and revoked by their owner in the admin area, stored only as hashes.</summary>
public sealed class ApiTokenService(NewsDbContext db, AuditLog audit, TimeProvider clock)
{
    private const string Scheme = "np_";

    public Task<List<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken = default)
        => db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id)
            .Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAtUtc, t.LastUsedAtUtc, t.RevokedAtUtc != null))
            .ToListAsync(cancellationToken);

    /// <summary>Makes a token and returns it: the only time it is ever shown.</summary>
    public async Task<string> CreateAsync(string userId, string userName, string name, CancellationToken cancellationToken = default)
    {
        var token = Scheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.ApiTokens.Add(new ApiToken
        {
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "API token" : name.Trim()[..Math.Min(name.Trim().Length, 100)],
            Hash = Hash(token),
            Prefix = token[..10],
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        });
        audit.Add(userName, "create token", name);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public async Task<bool> RevokeAsync(string userId, string userName, int id, CancellationToken cancellationToken = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId && t.RevokedAtUtc == null, cancellationToken);
        if (token is null)
        {
            return false;
        }

        token.RevokedAtUtc = clock.GetUtcNow().UtcDateTime;
        audit.Add(userName, "revoke token", token.Name);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The owner of a live token, or null; notes when it was last used.</summary>
    public async Task<ApiTokenOwner?> FindOwnerAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!token.StartsWith(Scheme, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var owner = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAtUtc == null)
            .Select(t => new ApiTokenOwner(t.UserId, t.User!.UserName!, t.Id))
            .SingleOrDefaultAsync(cancellationToken);
        if (owner is not null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await db.ApiTokens.Where(t => t.Id == owner.TokenId).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAtUtc, now), cancellationToken);
        }

        return owner;
    }

    /// <summary>SHA-256 is right here: tokens are long and random, so there is nothing for a slow hash to protect.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
