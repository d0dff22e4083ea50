using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sharpbase.Auth;
using StackExchange.Redis;

namespace Sharpbase.Cluster;

/// <summary>
/// Tells the other nodes, over a Redis channel, what this node's account cache learned first: an
/// account changed (token version, disabled, roles), sessions ended, an API key was revoked. Every
/// node that receives a change confirms it once applied, and the writing request's response waits
/// for as many confirmations as Redis reported receivers (or <see cref="ReceiptTimeout"/>), so a
/// session ended on one node is refused by every node as soon as the response says it ended.
/// While the channel may have dropped messages (Redis unreachable) the caches read the database;
/// once this node's own probe comes back through the channel, they catch up from the database and
/// trust the channel again.
/// </summary>
/// <remarks>A message is <c>sender|id|kind|payload</c>; kinds a, s and k are changes, r confirms one (payload <c>sender:id</c>), p is a node's probe of its own subscription.</remarks>
internal sealed class AuthChannel(RedisConnection redis, InFlight inFlight, ILogger<AuthChannel> logger)
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisConnection.Prefix + "auth");
    private static readonly TimeSpan SubscribeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromMilliseconds(800);

    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<long, Delivery> _deliveries = new();
    private AuthServices? _auth;
    private bool _subscribed;
    private long _losses;
    private long _sent;

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

    /// <summary>
    /// Redis answers again: (re)subscribes, waits for a probe of its own to come back through the
    /// channel (the client resubscribes on its own after a reconnect, and nothing else says when that
    /// is in place; when it does not come back, subscribes afresh), catches up from the database and
    /// trusts the channel; false when that failed.
    /// </summary>
    public async Task<bool> ResyncAsync(CancellationToken cancellationToken)
    {
        if (_auth is not { } auth || redis.Available is not { } connection)
        {
            return false;
        }
        var losses = Interlocked.Read(ref _losses);
        try
        {
            if (!_subscribed)
            {
                await SubscribeAsync(connection.GetSubscriber(), cancellationToken);
                _subscribed = true;
            }
            if (!await DeliverAsync(connection, "p", string.Empty, SubscribeTimeout, cancellationToken))
            {
                // The client counts the channel as subscribed, yet the probe did not come back: Redis
                // refused or lost its resubscription (e.g. the link dropped again while it resubscribed),
                // which the client neither reports nor retries until its link drops again. Subscribe
                // afresh and probe again.
                ClusterLog.SubscriptionLost(logger);
                var subscriber = connection.GetSubscriber();
                await subscriber.UnsubscribeAsync(Channel).WaitAsync(SubscribeTimeout, cancellationToken);
                await SubscribeAsync(subscriber, cancellationToken);
                if (!await DeliverAsync(connection, "p", string.Empty, SubscribeTimeout, cancellationToken))
                {
                    return false;
                }
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

    private Task SubscribeAsync(ISubscriber subscriber, CancellationToken cancellationToken) =>
        subscriber.SubscribeAsync(Channel, (_, message) => Receive(message)).WaitAsync(SubscribeTimeout, cancellationToken);

    private void Publish(string kind, string payload)
    {
        if (redis.Available is { } connection)
        {
            inFlight.Track(PublishAsync(connection, kind, payload));
        }
    }

    private async Task PublishAsync(IConnectionMultiplexer connection, string kind, string payload)
    {
        try
        {
            await DeliverAsync(connection, kind, payload, ReceiptTimeout, CancellationToken.None);
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e))
        {
            redis.Failed(e);
        }
    }

    /// <summary>
    /// Publishes a message and waits until it is confirmed: a probe by this node's own subscription,
    /// a change by every subscriber Redis delivered it to (this node's included). False after <paramref name="timeout"/>.
    /// </summary>
    private async Task<bool> DeliverAsync(IConnectionMultiplexer connection, string kind, string payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _sent);
        var delivery = new Delivery();
        _deliveries[id] = delivery;
        try
        {
            var receivers = await connection.GetSubscriber().PublishAsync(Channel, $"{_node}|{id}|{kind}|{payload}");
            var expected = kind == "p" ? 1 : receivers;
            delivery.Expect(expected);
            try
            {
                await delivery.Done.WaitAsync(timeout, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                if (kind != "p")
                {
                    ClusterLog.ReceiptsMissing(logger, expected - delivery.Received, expected, (int)timeout.TotalMilliseconds);
                }
                return false;
            }
        }
        finally
        {
            _deliveries.TryRemove(id, out _);
        }
    }

    private void Receive(RedisValue value)
    {
        if (_auth is not { } auth)
        {
            return;
        }
        var parts = ((string?)value ?? string.Empty).Split('|', 4);
        if (parts.Length != 4 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            ClusterLog.BadMessage(logger);
            return;
        }
        var (sender, kind, payload) = (parts[0], parts[2], parts[3]);
        if (sender == _node)
        {
            if (kind != "r" && _deliveries.TryGetValue(id, out var own))
            {
                own.Receive();
            }
            return;
        }
        switch (kind)
        {
            case "a" when payload.Split('\n') is [var accountKind, var accountId]:
                auth.Cache.Forget(accountKind, accountId);
                break;
            case "s":
                auth.Cache.Remember(payload.Split('\n').Where(l => l.Length > 0));
                break;
            case "k":
                auth.ApiKeys.Forget();
                break;
            case "r":
                Confirmed(payload);
                return;
            case "p":
                return;
            default:
                ClusterLog.BadMessage(logger);
                return;
        }
        _ = ConfirmAsync(sender + ":" + parts[1]);
    }

    private void Confirmed(string receipt)
    {
        var separator = receipt.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || !long.TryParse(receipt.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            ClusterLog.BadMessage(logger);
            return;
        }
        if (receipt.AsSpan(0, separator).SequenceEqual(_node) && _deliveries.TryGetValue(id, out var delivery))
        {
            delivery.Receive();
        }
    }

    private async Task ConfirmAsync(string receipt)
    {
        if (redis.Available is not { } connection)
        {
            return;
        }
        try
        {
            await connection.GetSubscriber().PublishAsync(Channel, $"{_node}|0|r|{receipt}");
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e))
        {
            redis.Failed(e);
        }
    }

    /// <summary>One published message's confirmations; how many are due is known only once Redis has answered the publish.</summary>
    private sealed class Delivery
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _received;
        private long _expected = long.MaxValue;

        public Task Done => _done.Task;

        public long Received => Interlocked.Read(ref _received);

        public void Receive()
        {
            if (Interlocked.Increment(ref _received) >= Interlocked.Read(ref _expected))
            {
                _done.TrySetResult();
            }
        }

        public void Expect(long count)
        {
            Interlocked.Exchange(ref _expected, count);
            if (Interlocked.Read(ref _received) >= count)
            {
                _done.TrySetResult();
            }
        }
    }
}
