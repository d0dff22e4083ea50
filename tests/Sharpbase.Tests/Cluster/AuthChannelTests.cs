using System.Diagnostics;
using System.Net;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Protection;
using StackExchange.Redis;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Cluster;

/// <summary>
/// The auth channel's promise, "a session ended on one node is refused by every node as soon as the
/// response says so", checked with a third subscriber of the test's own on the nodes' redis-server.
/// </summary>
public sealed class AuthChannelTests
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("sharpbase:auth");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ConclusiveWithin = TimeSpan.FromMilliseconds(750);

    [Fact]
    public async Task Logout_RespondsOnlyAfterEverySubscriberConfirmed()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        await using var listener = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var queue = await listener.GetSubscriber().SubscribeAsync(Channel);

        // An attempt tells only if the logout's whole round trip, our look included, took less than
        // the 800 ms receipt timeout: the node's timer starts after the request is sent, so until then
        // nothing but receipts can have answered it. On a loaded machine (the test host starved of CPU)
        // an attempt can take longer; it is then repeated with a new session.
        for (var attempt = 1; ; attempt++)
        {
            var session = await pair.A.RegisterAndLoginAsync();
            await pair.B.AssertMeIsAsync(session.AccessToken, session.UserId);
            var warned = MissingReceiptWarnings(pair.B);
            var sent = Stopwatch.StartNew();
            var logout = pair.B.SendAsync(HttpMethod.Post, "/auth/logout", null, Bearer(session.AccessToken));
            var (sender, id) = await NextChangeAsync(queue, "s");
            await Task.Delay(150);
            var answeredEarly = logout.IsCompleted;
            await listener.GetSubscriber().PublishAsync(Channel, $"test|0|r|{sender}:{id}");
            using (var response = await logout)
            {
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
            if (sent.Elapsed < ConclusiveWithin)
            {
                Assert.False(answeredEarly, "the logout was answered before the third subscriber confirmed it");
                await pair.A.AssertMeRefusedAsync(session.AccessToken);
                Assert.Equal(warned, MissingReceiptWarnings(pair.B));
                return;
            }
            Assert.True(attempt < 5, $"no logout round trip finished within {ConclusiveWithin.TotalMilliseconds} ms in {attempt} attempts; the machine is too loaded to tell");
        }
    }

    [Fact]
    public async Task Logout_SubscriberThatNeverConfirms_AnsweredAfterTheTimeoutAndWarned()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        await using var listener = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var queue = await listener.GetSubscriber().SubscribeAsync(Channel);

        // On a machine starved of CPU a node can also miss the 800 ms, and the warning then counts it
        // too (and that node may still accept the session for a moment), or the publish itself can pass
        // Redis's operation timeout, and no warning comes: the attempt is then repeated with a new
        // session, until only the silent subscriber was missing.
        for (var attempt = 1; ; attempt++)
        {
            var session = await pair.A.RegisterAndLoginAsync();
            var warned = MissingReceiptWarnings(pair.B);

            await pair.B.LogoutAsync(session.AccessToken);

            await NextChangeAsync(queue, "s");
            var warnings = pair.B.Logs.Entries.Where(e => e.Message.Contains("did not confirm", StringComparison.Ordinal)).Skip(warned).ToList();
            if (warnings is [{ Level: Microsoft.Extensions.Logging.LogLevel.Warning } warning]
                && warning.Message.StartsWith("1 of 3 subscribers of the Redis auth channel did not confirm", StringComparison.Ordinal))
            {
                await pair.A.AssertMeRefusedAsync(session.AccessToken);
                await pair.B.AssertMeRefusedAsync(session.AccessToken);
                return;
            }
            Assert.True(attempt < 5, $"no attempt of {attempt} ended with exactly the silent subscriber missing; the last logged: [{string.Join(" | ", warnings.Select(w => w.Message))}]");
            await pair.WaitForRedisAsync("ok");
        }
    }

    [Fact]
    public async Task Logout_AfterEachRedisRestart_RefusedByTheOtherNodeAtOnce()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        var email = NewEmail();
        await pair.A.RegisterAsync(email);
        for (var round = 0; round < 3; round++)
        {
            redis.Stop();
            await pair.WaitForRedisAsync("degraded");
            await redis.StartAgainAsync();
            await pair.WaitForRedisAsync("ok");
            await pair.WaitForResyncAsync();

            await LogoutOnBIsRefusedOnAAsync(pair, email);
        }
    }

    [Fact]
    public async Task Logout_AfterTheChannelLinkDroppedInQuickSuccession_RefusedByTheOtherNodeAtOnce()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        var email = NewEmail();
        await pair.A.RegisterAsync(email);
        for (var round = 0; round < 8; round++)
        {
            var resynced = pair.NextResync();
            // Each kill drops every subscription link; the next comes while the clients are resubscribing.
            for (var kill = 0; kill < 3; kill++)
            {
                await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
                await Task.Delay(Random.Shared.Next(0, 40));
            }
            await resynced();

            await LogoutOnBIsRefusedOnAAsync(pair, email);
        }
    }

    [Fact]
    public async Task ChannelSubscriptionLostOnTheServer_NodeSubscribesAfresh_AndResyncs()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        var email = NewEmail();
        await pair.A.RegisterAsync(email);
        var resynced = pair.NextResync();

        // With SUBSCRIBE refused, dropping the subscribed links makes the clients reconnect and have
        // their resubscription refused, which they do not report: their links are up but subscribed to
        // nothing, and only a node's own probe can tell. Each node must find that out while the refusal
        // holds (it cannot subscribe afresh until then), so the order below is certain, not a race.
        var probeMissed = pair.NextLogLine("This node's probe did not come back through the Redis auth channel", "never noticed its probe did not come back");
        await redis.ExecuteAsync("ACL", "SETUSER", "default", "-subscribe");
        await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        await probeMissed();
        await redis.ExecuteAsync("ACL", "SETUSER", "default", "+subscribe");
        await resynced();

        await LogoutOnBIsRefusedOnAAsync(pair, email);
    }

    [Fact]
    public async Task Channel_MalformedMessages_IgnoredAndLogged_WithoutHarm()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        await using var listener = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var session = await pair.A.RegisterAndLoginAsync();
        string[] hostile = ["", "|", "x|y|z", "node|notanumber|s|abc", "node|-1|s|abc", "node|1|zz|abc", "node|1|a|only-one-line", "node|0|r|no-separator", "node|0|r|x:NaN", new string('|', 10_000)];
        foreach (var message in hostile)
        {
            await listener.GetSubscriber().PublishAsync(Channel, message);
        }

        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (pair.A.Logs.Entries.Count(e => e.Message.StartsWith("A message on the Redis channel could not be read", StringComparison.Ordinal)) < hostile.Length)
        {
            Assert.True(deadline.Elapsed < Patience, "not every malformed message was reported");
            await Task.Delay(50);
        }
        await pair.B.AssertMeIsAsync(session.AccessToken, session.UserId);
        await pair.A.LogoutAsync(session.AccessToken);
        await pair.B.AssertMeRefusedAsync(session.AccessToken);
    }

    private static int MissingReceiptWarnings(SharpbaseServer node) => node.Logs.Entries.Count(e => e.Message.Contains("did not confirm", StringComparison.Ordinal));

    /// <summary>The next change of <paramref name="kind"/> a node published: its sender and number, for a receipt.</summary>
    private static async Task<(string Sender, string Id)> NextChangeAsync(ChannelMessageQueue queue, string kind)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var message = await queue.ReadAsync(timeout.Token);
            var parts = ((string?)message.Message ?? "").Split('|', 4);
            if (parts.Length == 4 && parts[2] == kind)
            {
                return (parts[0], parts[1]);
            }
        }
    }

    /// <summary>A fresh session of <paramref name="email"/> on node A, ended on node B, is refused by A at once.</summary>
    private static async Task LogoutOnBIsRefusedOnAAsync(ClusterPair pair, string email)
    {
        var session = await pair.A.LoginAsync(email);
        await pair.A.AssertMeIsAsync(session.AccessToken, session.UserId);
        await pair.B.LogoutAsync(session.AccessToken);
        await pair.A.AssertMeRefusedAsync(session.AccessToken);
    }
}
