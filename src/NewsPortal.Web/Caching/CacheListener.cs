using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Caching;

/// <summary>
/// Reads the invalidation log every <see cref="CacheOptions.PollSeconds"/> and evicts what other processes changed:
/// another node's saves, a command-line import while the site runs, and what nodes keep worked out from names that
/// another node renamed or merged (<see cref="CacheTags.Kept"/>). This process's own writes evict at once.
/// </summary>
public sealed class CacheListener(
    IServiceScopeFactory scopes, IOutputCacheStore store, IMemoryCache kept, CacheGeneration generation, IOptions<CacheOptions> options,
    TimeProvider clock, ILogger<CacheListener> logger)
    : BackgroundService
{
    /// <summary>Log rows kept for nodes that fall behind; older ones are pruned (a node that far behind has expired its cache).</summary>
    private const int KeptRows = 100_000;

    private long _lastSeen = -1;
    private DateTime _lastPruned;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        await new RepeatedFailures(logger, "read the cache invalidation log", clock).RunAsync(timer, PollAsync, stoppingToken);
    }

    /// <summary>Evicts every tag logged since the last call; the first call only notes where the log ends (the cache starts empty).</summary>
    public async Task PollAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        if (_lastSeen < 0)
        {
            _lastSeen = await db.CacheInvalidations.MaxAsync(i => (long?)i.Id, cancellationToken) ?? 0;
            return;
        }

        while (true)
        {
            var since = _lastSeen;
            var rows = await db.CacheInvalidations.AsNoTracking().Where(i => i.Id > since).OrderBy(i => i.Id).Take(1_000)
                .Select(i => new { i.Id, i.Tag, i.Origin }).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            foreach (var tag in rows.Where(r => r.Origin != generation.Origin).Select(r => r.Tag).Distinct(StringComparer.Ordinal))
            {
                await PageCache.EvictOneAsync(tag, store, kept, generation, cancellationToken);
            }

            _lastSeen = rows[^1].Id;
        }

        if (DateTime.UtcNow - _lastPruned > TimeSpan.FromMinutes(1))
        {
            _lastPruned = DateTime.UtcNow;
            var keepFrom = _lastSeen - KeptRows;
            await db.CacheInvalidations.Where(i => i.Id < keepFrom).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
