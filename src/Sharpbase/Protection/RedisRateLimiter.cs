using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Sharpbase.Protection;

/// <summary>
/// Counts in Redis when <c>settings.redis</c> is set, so every node shares one limit. When Redis
/// cannot be reached, <see cref="TryAcquireAsync"/> answers null and the caller counts locally;
/// the change is logged once each way, shown by readiness and a gauge, and undone as soon as the
/// client has reconnected.
/// </summary>
internal sealed class RedisRateLimiter(TimeProvider time, ILogger<RedisRateLimiter> logger) : IAsyncDisposable
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";

    private const string KeyPrefix = "sharpbase:rl:";
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(500);

    private ConnectionMultiplexer? _connection;
    private string _endpoint = string.Empty;
    private int _degraded;

    /// <summary><c>ok</c>, <c>degraded</c>, or null when Redis is not configured.</summary>
    public string? Status => _connection is null ? null : Volatile.Read(ref _degraded) == 1 ? Degraded : Ok;

    /// <summary>Connects in the background; an unreachable server leaves the limiter degraded until it answers.</summary>
    public async Task ConnectAsync(string endpoint, CancellationToken cancellationToken)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(endpoint);
        }
        catch (ArgumentException e)
        {
            throw new Hosting.SharpbaseStartupException($"settings.redis: '{endpoint}' is not host:port", e);
        }
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = (int)OperationTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)OperationTimeout.TotalMilliseconds;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ClientName = "sharpbase";
        _endpoint = endpoint;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        _connection.ConnectionFailed += (_, e) => MarkDegraded(e.FailureType.ToString());
        _connection.ConnectionRestored += (_, _) => MarkRestored();
        if (!_connection.IsConnected)
        {
            MarkDegraded("not connected");
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Counts one request in Redis; null when Redis is not configured or not reachable.</summary>
    public async ValueTask<RateLimitDecision?> TryAcquireAsync(RateLimitPolicy policy, string partition)
    {
        if (_connection is not { } connection)
        {
            return null;
        }
        if (!connection.IsConnected)
        {
            MarkDegraded("not connected");
            return null;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        RedisKey[] keys = [KeyPrefix + policy.Name + ":" + partition];
        RedisValue[] values = policy.Algorithm == LimitAlgorithm.TokenBucket
            ? [now, policy.Limit, (long)policy.Window.TotalMilliseconds]
            : [now, Math.Max(1, (long)policy.Window.TotalMilliseconds / RateLimitPolicy.Segments), RateLimitPolicy.Segments, policy.Limit];
        try
        {
            var script = policy.Algorithm == LimitAlgorithm.TokenBucket ? RedisScripts.TokenBucket : RedisScripts.SlidingWindow;
            var result = (RedisResult[])(await connection.GetDatabase().ScriptEvaluateAsync(script, keys, values))!;
            MarkRestored();
            return new RateLimitDecision((long)result[0] == 1, Math.Max(0, (long)result[1]),
                TimeSpan.FromMilliseconds(Math.Max(0, (long)result[2])), TimeSpan.FromMilliseconds(Math.Max(0, (long)result[3])));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            MarkDegraded(e.GetType().Name);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private void MarkDegraded(string reason)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            ProtectionLog.RedisDegraded(logger, _endpoint, reason);
        }
    }

    private void MarkRestored()
    {
        if (_connection?.IsConnected == true && Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            ProtectionLog.RedisRestored(logger, _endpoint);
        }
    }
}
