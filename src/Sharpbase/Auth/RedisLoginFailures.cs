using Sharpbase.Cluster;
using StackExchange.Redis;

namespace Sharpbase.Auth;

/// <summary>
/// Failed sign-ins counted in Redis when <c>settings.redis</c> is set, so a guess on one node counts
/// on every node. Each key is a sorted set of failure times that expires with the window. Keys hold a
/// SHA-256 of the account or address, never the email or address itself. Every method answers
/// null or false when Redis cannot be reached; the caller then counts in the process.
/// </summary>
internal sealed class RedisLoginFailures(RedisConnection redis)
{
    private const string KeyPrefix = RedisConnection.Prefix + "login:";

    // KEYS: the keys to read; ARGV[1]: the window's start (ms). For each key: count, oldest, newest (ms).
    private const string ReadScript = """
        local out = {}
        for _, key in ipairs(KEYS) do
          local n = redis.call('ZCOUNT', key, ARGV[1], '+inf')
          local oldest, newest = 0, 0
          if n > 0 then
            oldest = tonumber(redis.call('ZRANGEBYSCORE', key, ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2])
            newest = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
          end
          table.insert(out, n)
          table.insert(out, oldest)
          table.insert(out, newest)
        end
        return out
        """;

    // KEYS: the keys to count a failure on; ARGV: now (ms), a unique member, the window's start (ms), window (ms), most kept.
    private const string RecordScript = """
        for _, key in ipairs(KEYS) do
          redis.call('ZADD', key, ARGV[1], ARGV[2])
          redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[3])
          redis.call('ZREMRANGEBYRANK', key, 0, -tonumber(ARGV[5]) - 1)
          redis.call('PEXPIRE', key, ARGV[4])
        end
        return 1
        """;

    // KEYS[1]: the key to forget.
    private const string ClearScript = "return redis.call('DEL', KEYS[1])";

    /// <summary>The failures of each key since <paramref name="since"/>; null when Redis is not reachable.</summary>
    public async ValueTask<FailureWindow[]?> ReadAsync(string[] keys, DateTimeOffset since)
    {
        if (await redis.TryEvaluateAsync(ReadScript, keys.Select(Key).ToArray(), [since.ToUnixTimeMilliseconds()]) is not { } reply)
        {
            return null;
        }
        var result = (RedisResult[])reply!;
        var windows = new FailureWindow[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            windows[i] = (int)result[3 * i] == 0
                ? FailureWindow.None
                : new FailureWindow((int)result[3 * i], DateTimeOffset.FromUnixTimeMilliseconds((long)result[3 * i + 1]),
                    DateTimeOffset.FromUnixTimeMilliseconds((long)result[3 * i + 2]));
        }
        return windows;
    }

    /// <summary>Counts one failure on each key, keeping at most <paramref name="kept"/> per key; false when Redis is not reachable.</summary>
    public async ValueTask<bool> RecordAsync(string[] keys, DateTimeOffset now, TimeSpan window, int kept)
    {
        var at = now.ToUnixTimeMilliseconds();
        return await redis.TryEvaluateAsync(RecordScript, keys.Select(Key).ToArray(),
            [at, at + ":" + Guid.NewGuid().ToString("N"), (now - window).ToUnixTimeMilliseconds(), (long)window.TotalMilliseconds + 1000, kept]) is not null;
    }

    /// <summary>Forgets the failures of <paramref name="key"/>; false when Redis is not reachable.</summary>
    public async ValueTask<bool> ClearAsync(string key) => await redis.TryEvaluateAsync(ClearScript, [Key(key)], []) is not null;

    // The same on every node, and no email or client address in clear in Redis.
    private static RedisKey Key(string key) => RedisConnection.HashedKey(KeyPrefix, "sharpbase-login-throttle", key);
}
