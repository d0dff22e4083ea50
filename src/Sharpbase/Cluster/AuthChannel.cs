using Microsoft.Extensions.Logging;
using Sharpbase.Auth;
using StackExchange.Redis;

namespace Sharpbase.Cluster;

/// <summary>
/// Tells the other nodes, over a Redis channel, what this node's account cache learned first: an
/// account changed (token version, disabled, roles), sessions ended, an API key was revoked. The
/// writing request's response waits until Redis has passed the message on. While the channel may
/// have dropped messages (Redis unreachable) the caches read the database; once it is back they
/// catch up from the database and trust the channel again.
/// </summary>
internal sealed class AuthChannel(RedisConnection redis, InFlight inFlight, ILogger<AuthChannel> logger)
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisConnection.Prefix + "auth");
    private static readonly TimeSpan SubscribeTimeout = TimeSpan.FromSeconds(2);

    private readonly string _node = Guid.NewGuid().ToString("N");
    private AuthServices? _auth;
    private ISubscriber? _subscriber;
    private long _losses;

    /// <summary>Starts listening for <paramref name="auth"/>'s caches; they read the database until the channel is up.</summary>
    public void Attach(AuthServices auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        _auth = auth;
        auth.Cache.Distrust();
        auth.ApiKeys.Distrust();
        auth.Cache.AccountChanged += (kind, id) => Publish("a", kind + "\n" + id);
        auth.Cache.SessionsRevoked += ids => Publish("s", string.Join("\n", ids));
        auth.ApiKeys.Revoked += () => Publish("k", string.Empty);
    }

    /// <summary>Redis became unreachable: messages may be lost from now on.</summary>
    public void Lost()
    {
        Interlocked.Increment(ref _losses);
        _auth?.Cache.Distrust();
        _auth?.ApiKeys.Distrust();
    }

    /// <summary>Redis answers again: (re)subscribes, catches up from the database and trusts the channel; false when Redis failed meanwhile.</summary>
    public async Task<bool> ResyncAsync(CancellationToken cancellationToken)
    {
        if (_auth is not { } auth || redis.Available is not { } connection)
        {
            return false;
        }
        var losses = Interlocked.Read(ref _losses);
        try
        {
            if (_subscriber is null)
            {
                var subscriber = connection.GetSubscriber();
                await subscriber.SubscribeAsync(Channel, (_, message) => Receive(message)).WaitAsync(SubscribeTimeout, cancellationToken);
                _subscriber = subscriber;
            }
            else
            {
                // The client subscribes again on its own after a reconnect; a ping on that connection
                // returns after the subscription is in place.
                await _subscriber.PingAsync().WaitAsync(SubscribeTimeout, cancellationToken);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The client cancels what it had sent when the link drops again.
            redis.Failed(e);
            return false;
        }
        await auth.Cache.TrustAgainAsync(auth.Now - auth.Options.Jwt.AccessTokenLifetime - JwtOptions.MaxClockSkew, cancellationToken);
        auth.ApiKeys.TrustAgain();
        if (Interlocked.Read(ref _losses) != losses)
        {
            auth.Cache.Distrust();
            auth.ApiKeys.Distrust();
            return false;
        }
        return true;
    }

    private void Publish(string kind, string payload)
    {
        if (redis.Available is { } connection)
        {
            inFlight.Track(PublishAsync(connection, _node + "|" + kind + "|" + payload));
        }
    }

    private async Task PublishAsync(IConnectionMultiplexer connection, string message)
    {
        try
        {
            await connection.GetSubscriber().PublishAsync(Channel, message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            redis.Failed(e);
        }
    }

    private void Receive(RedisValue value)
    {
        if (_auth is not { } auth)
        {
            return;
        }
        var parts = ((string?)value ?? string.Empty).Split('|', 3);
        if (parts.Length != 3)
        {
            ClusterLog.BadMessage(logger);
            return;
        }
        if (parts[0] == _node)
        {
            return;
        }
        var lines = parts[2].Split('\n');
        switch (parts[1])
        {
            case "a" when lines.Length == 2:
                auth.Cache.Forget(lines[0], lines[1]);
                break;
            case "s":
                auth.Cache.Remember(lines.Where(l => l.Length > 0));
                break;
            case "k":
                auth.ApiKeys.Forget();
                break;
            default:
                ClusterLog.BadMessage(logger);
                break;
        }
    }
}
