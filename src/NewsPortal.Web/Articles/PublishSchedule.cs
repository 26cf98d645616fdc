using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Articles;

/// <summary>
/// Publishes scheduled stories when their time comes. Listings read only published stories (one index each), so a
/// scheduled story is switched to Published at its time, its webhooks queued and the pages that now show it evicted.
/// Every request compares the clock with the next time due (<see cref="IsDue"/>, one comparison) and publishes first
/// when it has come; a background pass each second does the same for quiet times and re-reads the next time due,
/// which another node or the command-line import may have brought forward.
/// </summary>
public sealed class PublishSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PublishSchedule> logger) : BackgroundService
{
    /// <summary>Stories published per pass; a pass repeats until none is due.</summary>
    private const int BatchSize = 200;

    // Never disposed: a pass still finishing when the host disposes the service (a start that failed) releases it, and
    // a SemaphoreSlim holds nothing to free unless its wait handle is asked for.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Unknown at start: the first request (or pass) looks.
    private long _nextDueTicks = long.MinValue;

    public bool IsDue => clock.GetUtcNow().UtcTicks >= Interlocked.Read(ref _nextDueTicks);

    /// <summary>Notes a story scheduled for <paramref name="atUtc"/> by this process, so it is published on time.</summary>
    public void Scheduled(DateTime atUtc)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _nextDueTicks);
            if (atUtc.Ticks >= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _nextDueTicks, atUtc.Ticks, current) != current);
    }

    /// <summary>Publishes every scheduled story whose time has come, then notes when the next one is due.</summary>
    public async Task PublishDueAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!IsDue)
            {
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var cache = scope.ServiceProvider.GetRequiredService<PageCache>();
            var webhooks = scope.ServiceProvider.GetRequiredService<WebhookOutbox>();
            while (true)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var due = await db.Articles.Include(a => a.Categories).Include(a => a.Sources).AsSplitQuery()
                    .Where(a => a.Status == ArticleStatus.Scheduled && a.PublishAtUtc <= now && a.DeletedAtUtc == null)
                    .OrderBy(a => a.PublishAtUtc).Take(BatchSize).ToListAsync(cancellationToken);
                if (due.Count == 0)
                {
                    break;
                }

                var changes = new List<(ArticleState?, ArticleState?)>();
                foreach (var article in due)
                {
                    var before = ArticleState.Of(article);
                    article.Status = ArticleStatus.Published;
                    changes.Add((before, ArticleState.Of(article)));
                    await webhooks.EnqueueAsync(WebhookEvents.Published, article, cancellationToken);
                }

                var tags = await cache.TagsForAsync(changes, cancellationToken);
                cache.Record(tags);
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                await cache.EvictAsync(tags, cancellationToken);
                logger.LogInformation("Published {Count} scheduled stories whose time had come", due.Count);
            }

            await RefreshAsync(db, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        await new RepeatedFailures(logger, "publish scheduled stories", clock).RunAsync(timer, async cancellationToken =>
        {
            if (!IsDue)
            {
                await using var scope = scopes.CreateAsyncScope();
                await RefreshAsync(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), cancellationToken);
            }

            if (IsDue)
            {
                await PublishDueAsync(cancellationToken);
            }
        }, stoppingToken);
    }

    private async Task RefreshAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        var seen = Interlocked.Read(ref _nextDueTicks);
        var next = await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Scheduled && a.DeletedAtUtc == null && a.PublishAtUtc != null)
            .OrderBy(a => a.PublishAtUtc).Select(a => a.PublishAtUtc).FirstOrDefaultAsync(cancellationToken);
        // A save that scheduled a story while this read ran has already moved the time: keep it.
        Interlocked.CompareExchange(ref _nextDueTicks, next?.Ticks ?? long.MaxValue, seen);
    }
}
