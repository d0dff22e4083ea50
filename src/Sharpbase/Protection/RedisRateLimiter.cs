using Sharpbase.Cluster;
using StackExchange.Redis;

namespace Sharpbase.Protection;

/// <summary>
/// Counts in Redis when <c>settings.redis</c> is set, so every node shares one limit. When Redis
/// cannot be reached, <see cref="TryAcquireAsync"/> answers null and the caller counts locally
/// until the shared connection is back.
/// </summary>
internal sealed class RedisRateLimiter(RedisConnection redis, TimeProvider time)
{
    private const string KeyPrefix = RedisConnection.Prefix + "rl:";

    /// <summary>Counts one request in Redis; null when Redis is not configured or not reachable.</summary>
    public async ValueTask<RateLimitDecision?> TryAcquireAsync(RateLimitPolicy policy, string partition)
    {
        // Every request comes here: without Redis, nothing is built for it.
        if (!redis.IsConfigured)
        {
            return null;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        RedisKey[] keys = [KeyPrefix + policy.Name + ":" + partition];
        RedisValue[] values = policy.Algorithm == LimitAlgorithm.TokenBucket
            ? [now, policy.Limit, (long)policy.Window.TotalMilliseconds]
            : [now, Math.Max(1, (long)policy.Window.TotalMilliseconds / RateLimitPolicy.Segments), RateLimitPolicy.Segments, policy.Limit];
        var script = policy.Algorithm == LimitAlgorithm.TokenBucket ? RedisScripts.TokenBucket : RedisScripts.SlidingWindow;
        if (await redis.TryEvaluateAsync(script, keys, values) is not { } reply)
        {
            return null;
        }
        var result = (RedisResult[])reply!;
        return new RateLimitDecision((long)result[0] == 1, Math.Max(0, (long)result[1]),
            TimeSpan.FromMilliseconds(Math.Max(0, (long)result[2])), TimeSpan.FromMilliseconds(Math.Max(0, (long)result[3])));
    }
}
