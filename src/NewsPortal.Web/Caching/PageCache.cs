using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Caching;

/// <summary>
/// Evicts what a write makes stale. A writer asks for the tags of its changes (<see cref="TagsForAsync"/>) before it
/// saves, <see cref="Record"/>s them in the same unit of work (the invalidation log other processes read), and calls
/// <see cref="EvictAsync"/> once saved, before its request returns.
/// </summary>
public sealed class PageCache(
    NewsDbContext db, ArticleService articles, IOutputCacheStore store, IMemoryCache kept, CacheGeneration generation, TimeProvider clock,
    ILogger<PageCache> logger)
{
    /// <summary>Beyond this many tags a write (a large import) empties the cache instead.</summary>
    public const int MaxTags = 5_000;

    /// <summary>
    /// The tags of these changes, with the stories that become neighbours of a story newly listed or moved (their
    /// "newer" or "older" link now leads to it). Call before saving or after, inside the same transaction.
    /// </summary>
    public async Task<HashSet<string>> TagsForAsync(IEnumerable<(ArticleState? Before, ArticleState? After)> changes, CancellationToken cancellationToken = default)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (before, after) in changes)
        {
            tags.UnionWith(CacheTags.ForChange(before, after));
            if (after is { Listed: true } && (before is null || !before.SameListings(after)) && tags.Count <= MaxTags)
            {
                var position = new ListingCursor(after.SortKey, after.Id);
                foreach (var category in after.Categories)
                {
                    foreach (var older in new[] { true, false })
                    {
                        var next = await articles.WalkAsync<ArticleService.KeyRow>(Listing.InCategory(category), ArticleService.KeyColumns, position, older, 1, cancellationToken);
                        tags.UnionWith(next.Select(n => CacheTags.ArticlePage(n.Id)));
                    }
                }
            }
        }

        return tags.Count > MaxTags ? [CacheTags.All] : tags;
    }

    /// <summary>Adds the tags to the invalidation log in the caller's unit of work, to be saved with the change.</summary>
    public void Record(IEnumerable<string> tags)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.CacheInvalidations.AddRange(tags.Select(tag => new CacheInvalidation { Tag = tag, CreatedAtUtc = now, Origin = generation.Origin }));
    }

    /// <summary>
    /// Evicts the tags from the cache (this process's, or the one Redis holds for every node). The change is saved by
    /// then: a cache that cannot be reached must not turn a saved write into an error (Redis's keeps the eviction
    /// for when it answers again, <see cref="ResilientCacheStore"/>), so a failure is logged and the pages left expire
    /// within the cache's duration.
    /// </summary>
    public async Task EvictAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        foreach (var tag in tags)
        {
            try
            {
                await EvictOneAsync(tag, store, kept, generation, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not evict {Tag} from the page cache; its pages expire on their own", tag);
            }
        }
    }

    /// <summary>Evicts one tag: its responses from the page cache, or what this node keeps under a <see cref="CacheTags.Kept"/> one.</summary>
    public static ValueTask EvictOneAsync(string tag, IOutputCacheStore store, IMemoryCache kept, CacheGeneration generation, CancellationToken cancellationToken)
    {
        if (CacheTags.KeptKey(tag) is { } key)
        {
            kept.Remove(key);
            return ValueTask.CompletedTask;
        }

        generation.Advance();
        return store.EvictByTagAsync(tag, cancellationToken);
    }
}

/// <summary>
/// A number raised by every eviction. A response rendered while it changed may have read what was just replaced, so
/// the cache policy does not store it (<see cref="PortalCachePolicy"/>).
/// </summary>
public sealed class CacheGeneration
{
    private long _value;

    /// <summary>This process, in the invalidation log: what it wrote there it has evicted already.</summary>
    public Guid Origin { get; } = Guid.NewGuid();

    public long Value => Interlocked.Read(ref _value);

    public void Advance() => Interlocked.Increment(ref _value);
}
