using System.Net;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Protection;

namespace Sharpbase.Tests.Cluster;

/// <summary>
/// The change counter shared through Redis keys the server cache, so reading a record costs a Redis
/// round trip only where the collection has a cache; a record of any other collection is read from
/// the database alone. On a redis-server of the test's own: the counter's key is deleted and must
/// stay absent through the reads that need no counter (the read script recreates it on first use).
/// </summary>
public sealed class SharedCounterReadTests
{
    private const string CounterKey = "sharpbase:changes";

    [Fact]
    public async Task RecordRead_ReadsTheSharedCounter_OnlyForACachedCollection()
    {
        using var redis = await RedisServer.StartAsync();
        await using var pair = await ClusterPair.StartAsync(redis.Endpoint);
        await pair.WaitForResyncAsync();
        var note = (await pair.A.CreateAsync("notes", """{"title":"uncached"}""")).GetProperty("id").GetString();
        var news = (await pair.A.CreateAsync("news", """{"title":"cached"}""")).GetProperty("id").GetString();
        await redis.ExecuteAsync("DEL", CounterKey);

        foreach (var node in new[] { pair.A, pair.B, pair.A })
        {
            using var read = await node.GetAsync($"/api/notes/{note}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("uncached", (await read.JsonAsync()).GetProperty("title").GetString());
        }
        Assert.Equal(0, (int)await redis.ExecuteAsync("EXISTS", CounterKey));

        using (var cached = await pair.B.GetAsync($"/api/news/{news}"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }
        Assert.Equal(1, (int)await redis.ExecuteAsync("EXISTS", CounterKey));
    }
}
