using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Sharpbase.Cluster;

/// <summary>
/// The process's one connection to the Redis of <c>settings.redis</c> (or <c>SHARPBASE__REDIS</c>),
/// shared by rate limits, the change counter, the cache's second level, idempotency locks and the
/// invalidation channel. It never makes a request wait long: operations time out after 500 ms,
/// commands fail at once while the link is down, and after a failure Redis is skipped for a short
/// while (a circuit breaker) until the client has reconnected or the pause has passed.
/// </summary>
internal sealed class RedisConnection(IConfiguration configuration, TimeProvider time, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";

    /// <summary>Every key and channel starts with this, so Sharpbase can share a Redis with others.</summary>
    public const string Prefix = "sharpbase:";

    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan BreakerPause = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A link that drops again this soon after coming back is the same outage still settling (a restarting
    /// Redis often accepts one connection before it drops the other): it is degraded again but not re-reported.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    private readonly string? _endpoint = configuration["redis"] is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
    private ConnectionMultiplexer? _connection;
    private int _degraded;
    private long _openAfter;
    private long _restoredAtTicks;

    /// <summary>Raised once when Redis becomes unreachable (what was learned through it may be missing updates).</summary>
    public event Action? Lost;

    /// <summary>Raised once when Redis answers again after <see cref="Lost"/>.</summary>
    public event Action? Restored;

    /// <summary>True when <c>settings.redis</c> is set.</summary>
    public bool IsConfigured => _endpoint is not null;

    /// <summary><c>ok</c>, <c>degraded</c>, or null when Redis is not configured.</summary>
    public string? Status => _endpoint is null ? null : Volatile.Read(ref _degraded) == 1 || _connection is null ? Degraded : Ok;

    /// <summary>The connection, whatever its state (null until connected or when not configured).</summary>
    public IConnectionMultiplexer? Connection => _connection;

    /// <summary>The connection when it may be used now; null when Redis is not configured, down, or paused after a failure.</summary>
    public IConnectionMultiplexer? Available
    {
        get
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
            return Volatile.Read(ref _degraded) == 1 && time.GetTimestamp() < Volatile.Read(ref _openAfter) ? null : connection;
        }
    }

    /// <summary>
    /// Runs a Lua script when Redis may be used now and tells the breaker how it went: its result, or
    /// null when Redis is not configured, down or paused, or the call failed (a timeout, a lost link).
    /// A caller given null does what it does without Redis.
    /// </summary>
    public async ValueTask<RedisResult?> TryEvaluateAsync(string script, RedisKey[] keys, RedisValue[] values)
    {
        if (Available is not { } connection)
        {
            return null;
        }
        try
        {
            var result = await connection.GetDatabase().ScriptEvaluateAsync(script, keys, values);
            Succeeded();
            return result;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            Failed(e);
            return null;
        }
    }

    /// <summary>
    /// True for what a call throws when Redis does not answer in time or the link is gone: the caller
    /// reports it (<see cref="Failed"/>) and goes on without Redis.
    /// </summary>
    public static bool IsUnreachable(Exception exception) => exception is RedisException or TimeoutException or OperationCanceledException;

    /// <summary>
    /// A key for client or private text (an email, a client address, an idempotency key):
    /// <paramref name="prefix"/> and a SHA-256 of the text behind <paramref name="purpose"/> (what it is
    /// for, or whose it is), the same on every node, of bounded length, the text never in clear in Redis.
    /// </summary>
    public static RedisKey HashedKey(string prefix, string purpose, string text) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + "\n" + text)));

    // The parser's message can quote an option's value; a password written in the setting never goes out.
    private string WithoutPassword(string message)
    {
        foreach (var option in _endpoint!.Split(',', StringSplitOptions.TrimEntries))
        {
            if (option.StartsWith("password=", StringComparison.OrdinalIgnoreCase) && option.Length > "password=".Length)
            {
                message = message.Replace(option["password=".Length..], "***", StringComparison.Ordinal);
            }
        }
        return message;
    }

    /// <summary>Connects in the background when configured; an unreachable server leaves the connection degraded until it answers.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is null || _connection is not null)
        {
            return;
        }
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(_endpoint);
        }
        catch (ArgumentException e)
        {
            // The setting itself is never repeated: it may hold the password.
            throw new Hosting.SharpbaseStartupException($"settings.redis: not a Redis setting (host:port[,option=value…]): {WithoutPassword(e.Message)}", e);
        }
        // The parser skips what it cannot read as an address ("host:abc", ",password=x") and takes any
        // text as a host name ("::::"): such a setting would leave Redis unreachable for good.
        if (options.EndPoints.Count == 0)
        {
            throw new Hosting.SharpbaseStartupException("settings.redis: names no server (expected host:port[,option=value…], e.g. 127.0.0.1:6379)");
        }
        // The host is not repeated: a setting written as a URL (redis://:password@host) would put the password there.
        if (options.EndPoints.OfType<DnsEndPoint>().Any(e => Uri.CheckHostName(e.Host) == UriHostNameType.Unknown))
        {
            throw new Hosting.SharpbaseStartupException("settings.redis: a server is not a host name or address (expected host:port[,option=value…], e.g. 127.0.0.1:6379)");
        }
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = (int)OperationTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)OperationTimeout.TotalMilliseconds;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "sharpbase";
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        _connection.ConnectionFailed += (_, e) => MarkDegraded(e.FailureType.ToString());
        _connection.ConnectionRestored += (_, _) => Succeeded();
        if (!_connection.IsConnected)
        {
            MarkDegraded("not connected");
        }
        else
        {
            Restored?.Invoke();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>An operation failed (timeout, connection error): Redis is skipped for a short pause.</summary>
    public void Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Volatile.Write(ref _openAfter, time.GetTimestamp() + (long)(BreakerPause.TotalSeconds * time.TimestampFrequency));
        MarkDegraded(exception.GetType().Name);
    }

    /// <summary>An operation succeeded: when Redis was degraded and both of its links are connected, it is in use again.</summary>
    public void Succeeded()
    {
        // Both links must be back: the one for commands and the one the invalidation channel listens on.
        // The command link usually returns first; calling that a recovery would report the outage twice.
        if (Volatile.Read(ref _degraded) == 1 && _connection is { IsConnected: true } connection
            && connection.GetSubscriber().IsConnected() && Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            Volatile.Write(ref _restoredAtTicks, time.GetUtcNow().UtcTicks);
            ClusterLog.RedisRestored(logger, _endpoint!);
            Restored?.Invoke();
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
            if (time.GetUtcNow().UtcTicks - Volatile.Read(ref _restoredAtTicks) < SettleTime.Ticks)
            {
                ClusterLog.RedisDroppedWhileSettling(logger, _endpoint!, reason);
            }
            else
            {
                ClusterLog.RedisDegraded(logger, _endpoint!, reason);
            }
            Lost?.Invoke();
        }
    }
}
