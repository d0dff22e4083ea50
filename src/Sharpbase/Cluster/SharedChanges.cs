using System.Security.Cryptography;
using StackExchange.Redis;

namespace Sharpbase.Cluster;

/// <summary>
/// The change counter behind list ETags and the list cache, shared through Redis when it is
/// configured: every committed write on any node increments it before that write's response is
/// sent, and every list reads it, so a node never answers 304 or serves a cached page that a write
/// on another node has changed. While Redis is unreachable the counter is unknown and lists are
/// served fresh, without a validator. After Redis returns, each node increments the counter once
/// before using it again, which covers the writes it could not count meanwhile.
/// </summary>
internal sealed class SharedChanges(RedisConnection redis, InFlight inFlight)
{
    private const string Key = RedisConnection.Prefix + "changes";

    // A missing key (a fresh or restarted Redis) starts at a random point, so validators and cache
    // entries keyed by an earlier count can never match again.
    private const string ReadScript = """
        local v = redis.call('GET', KEYS[1])
        if not v then
          redis.call('SET', KEYS[1], ARGV[1], 'NX')
          v = redis.call('GET', KEYS[1])
        end
        return v
        """;

    private const string IncrementScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          redis.call('SET', KEYS[1], ARGV[1])
        end
        return redis.call('INCR', KEYS[1])
        """;

    // In use while _syncedAt == _losses: a loss during a resynchronisation leaves it unsynced.
    private long _losses;
    private long _syncedAt = -1;

    /// <summary>The counter a list validator uses now.</summary>
    public async ValueTask<ChangeCount> ReadAsync()
    {
        if (!redis.IsConfigured)
        {
            return ChangeCount.Local;
        }
        if (Interlocked.Read(ref _syncedAt) != Interlocked.Read(ref _losses))
        {
            return ChangeCount.Unknown;
        }
        return await redis.TryEvaluateAsync(ReadScript, [Key], [RandomStart()]) is { } value ? new ChangeCount(true, (long)value) : ChangeCount.Unknown;
    }

    /// <summary>Counts a committed write; the writing request's response waits for it.</summary>
    public void Changed()
    {
        if (redis.Available is { } connection)
        {
            inFlight.Track(IncrementAsync(connection));
        }
    }

    /// <summary>Redis became unreachable: the counter is unknown until <see cref="ResyncAsync"/>.</summary>
    public void Lost() => Interlocked.Increment(ref _losses);

    /// <summary>Redis answers again: counts the writes made meanwhile, then uses the counter again.</summary>
    public async Task<bool> ResyncAsync()
    {
        var losses = Interlocked.Read(ref _losses);
        if (redis.Available is not { } connection || !await IncrementAsync(connection))
        {
            return false;
        }
        Interlocked.Exchange(ref _syncedAt, losses);
        return Interlocked.Read(ref _losses) == losses;
    }

    private async Task<bool> IncrementAsync(IConnectionMultiplexer connection)
    {
        try
        {
            await connection.GetDatabase().ScriptEvaluateAsync(IncrementScript, [Key], [RandomStart()]);
            return true;
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e))
        {
            // The write is in the database but not counted: no node may trust the counter until it is.
            Lost();
            redis.Failed(e);
            return false;
        }
    }

    private static long RandomStart() => BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & 0x3FFF_FFFF_FFFF_FFFF;
}
