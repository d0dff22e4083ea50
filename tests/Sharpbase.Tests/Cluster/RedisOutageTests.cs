using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Protection;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Cluster;

/// <summary>Two nodes on a redis-server of the test's own, which it stops and starts: degraded, never wrong, and back by itself.</summary>
public sealed class RedisOutageTests
{
    private static async Task<int> CountAsync(SharpbaseServer node)
    {
        using var response = await node.GetAsync("/api/news?limit=200");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("items").GetArrayLength();
    }

    private static async Task AssertFreshAcrossNodesAsync(ClusterPair pair, string title)
    {
        var before = await CountAsync(pair.A);
        await pair.B.CreateAsync("news", JsonSerializer.Serialize(new { title }));
        Assert.Equal(before + 1, await CountAsync(pair.A));
    }

    [Fact]
    public async Task RedisStopped_NodesServeUncachedAndRevokeThroughTheDatabase_ThenShareAgain()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        var email = NewEmail();
        await pair.A.RegisterAsync(email);
        var early = await pair.A.LoginAsync(email);
        await pair.B.AssertMeIsAsync(early.AccessToken, early.UserId);
        await AssertFreshAcrossNodesAsync(pair, "before");

        redis.Stop();
        await pair.WaitForRedisAsync("degraded");
        // Counted from here, so the resynchronisations each node logged at start do not count.
        var resynced = pair.NextResync();

        // Lists are answered from the database, without a validator a write elsewhere could outdate.
        using (var list = await pair.A.GetAsync("/api/news"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Null(list.Headers.ETag);
        }
        await AssertFreshAcrossNodesAsync(pair, "during");
        var during = await pair.B.LoginAsync(email);
        await pair.A.AssertMeIsAsync(during.AccessToken, during.UserId);
        await pair.A.LogoutAsync(early.AccessToken);
        await pair.B.AssertMeRefusedAsync(early.AccessToken);

        await redis.StartAgainAsync();
        await pair.WaitForRedisAsync("ok");
        await resynced();

        await AssertFreshAcrossNodesAsync(pair, "after");
        await pair.B.AssertMeRefusedAsync(early.AccessToken);
        await pair.A.AssertMeIsAsync(during.AccessToken, during.UserId);
        await pair.B.LogoutAsync(during.AccessToken);
        await pair.A.AssertMeRefusedAsync(during.AccessToken);
    }

    [Fact]
    public async Task RedisStopped_FailedLoginsCountedOnTheNode_ThenSharedAgain()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint, SharedRedisTests.LockAtFour);
        var email = NewEmail();
        await pair.A.RegisterAsync(email);
        redis.Stop();
        await pair.WaitForRedisAsync("degraded");

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await pair.A.PostLoginAsync(email, "wrong password");
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using (var locked = await pair.A.PostLoginAsync(email, Password))
        {
            await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        }

        await redis.StartAgainAsync();
        await pair.WaitForRedisAsync("ok");
        var other = NewEmail("other");
        await pair.A.RegisterAsync(other);
        foreach (var node in new[] { pair.A, pair.A, pair.B, pair.B })
        {
            using var wrong = await node.PostLoginAsync(other, "wrong password");
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using var shared = await pair.B.PostLoginAsync(other, Password);
        await shared.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
    }
}
