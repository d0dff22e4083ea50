using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace Sharpbase.Cluster;

/// <summary>
/// The second level of the server cache (HybridCache): Redis through the process's one connection.
/// A cache must never fail a request, so while Redis is unreachable every call is a miss or a no-op
/// and a failure only trips the connection's breaker. The inner cache is never disposed: it would
/// close the shared connection, which <see cref="RedisConnection"/> owns.
/// </summary>
#pragma warning disable CA1001 // the inner cache would close the shared connection on dispose; RedisConnection owns and disposes it
internal sealed class SharedDistributedCache(RedisConnection redis) : IDistributedCache
#pragma warning restore CA1001
{
    private readonly RedisCache _cache = new(new RedisCacheOptions
    {
        InstanceName = RedisConnection.Prefix + "cache:",
        ConnectionMultiplexerFactory = () => Task.FromResult(redis.Connection ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected")),
    });

    public byte[]? Get(string key) => redis.Available is null ? null : Guard(() => _cache.Get(key), null);

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        redis.Available is null ? null : await GuardAsync(() => _cache.GetAsync(key, token), null);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        if (redis.Available is not null)
        {
            Guard(() => { _cache.Set(key, value, options); return true; }, false);
        }
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (redis.Available is not null)
        {
            await GuardAsync(async () => { await _cache.SetAsync(key, value, options, token); return true; }, false);
        }
    }

    public void Refresh(string key)
    {
        if (redis.Available is not null)
        {
            Guard(() => { _cache.Refresh(key); return true; }, false);
        }
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        if (redis.Available is not null)
        {
            await GuardAsync(async () => { await _cache.RefreshAsync(key, token); return true; }, false);
        }
    }

    public void Remove(string key)
    {
        if (redis.Available is not null)
        {
            Guard(() => { _cache.Remove(key); return true; }, false);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        if (redis.Available is not null)
        {
            await GuardAsync(async () => { await _cache.RemoveAsync(key, token); return true; }, false);
        }
    }

    private T Guard<T>(Func<T> operation, T fallback)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e) || e is ObjectDisposedException)
        {
            redis.Failed(e);
            return fallback;
        }
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> operation, T fallback)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e) || e is ObjectDisposedException)
        {
            redis.Failed(e);
            return fallback;
        }
    }
}
