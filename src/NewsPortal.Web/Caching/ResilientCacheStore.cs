using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace NewsPortal.Web.Caching;

/// <summary>
/// The shared page cache in Redis, as an optimisation rather than a dependency: while Redis cannot be reached, pages
/// are rendered from the store (a lookup finds nothing, a store is skipped) instead of waiting for Redis's timeout on
/// every request and then failing, and an eviction that cannot be made is logged (those pages expire on their own).
/// </summary>
public sealed class ResilientCacheStore(IOutputCacheStore inner, IConnectionMultiplexer redis, ILogger<ResilientCacheStore> logger) : IOutputCacheStore
{
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
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
        if (!redis.IsConnected)
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

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
        => redis.IsConnected ? inner.EvictByTagAsync(tag, cancellationToken) : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
}
