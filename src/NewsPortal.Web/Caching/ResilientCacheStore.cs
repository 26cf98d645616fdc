using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace NewsPortal.Web.Caching;

/// <summary>
/// The shared page cache in Redis, as an optimisation rather than a dependency: while Redis cannot be reached, pages
/// are rendered from the store (a lookup finds nothing, a store is skipped) instead of waiting for Redis's timeout on
/// every request and then failing. An eviction that cannot be made then is kept and made before this node reads
/// the cache again, so a page saved during the outage is never served from a copy cached before it.
/// </summary>
public sealed class ResilientCacheStore(IOutputCacheStore inner, IConnectionMultiplexer redis, ILogger<ResilientCacheStore> logger) : IOutputCacheStore
{
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private volatile bool _anyPending;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected || _anyPending && !await FlushPendingAsync(cancellationToken))
        {
            return null;
        }

        try
        {
            return await inner.GetAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "The page cache could not be read; rendering instead");
            return null;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        // Not while evictions wait: the copy could be stored under a tag about to be evicted, or outlive one.
        if (!redis.IsConnected || _anyPending)
        {
            return;
        }

        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "A page could not be stored in the page cache");
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                await inner.EvictByTagAsync(tag, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not evict {Tag} from the page cache; it is evicted once Redis answers", tag);
            }
        }

        lock (_pending)
        {
            // Past this many, emptying the whole cache is cheaper than remembering each.
            if (_pending.Count >= PageCache.MaxTags && !_pending.Contains(CacheTags.All))
            {
                _pending.Clear();
                _pending.Add(CacheTags.All);
            }
            else if (!_pending.Contains(CacheTags.All))
            {
                _pending.Add(tag);
            }

            _anyPending = true;
        }
    }

    /// <summary>Makes the evictions kept while Redis was away; false when they cannot all be made yet.</summary>
    private async Task<bool> FlushPendingAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            string[] tags;
            lock (_pending)
            {
                tags = [.. _pending];
            }

            foreach (var tag in tags)
            {
                await inner.EvictByTagAsync(tag, cancellationToken);
                lock (_pending)
                {
                    _pending.Remove(tag);
                    _anyPending = _pending.Count > 0;
                }
            }

            logger.LogInformation("Redis answers again: made the {Count} page cache evictions kept while it was away", tags.Length);
            return !_anyPending;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
        finally
        {
            _flushing.Release();
        }
    }
}
