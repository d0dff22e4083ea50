using System.Diagnostics;
using System.Net;
using Sharpbase.Tests.Process;
using static Sharpbase.Tests.Protection.ProtectionServers;

namespace Sharpbase.Tests.Protection;

/// <summary>Two real `sharpbase serve` processes counting one limit in a real redis-server.</summary>
[Collection(ProcessTestGroup.Name)]
public sealed class RedisRateLimitTests : IDisposable
{
    private const int Limit = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempFolder _folder = new();
    private readonly List<SharpbaseProcess> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        _folder.Dispose();
    }

    private async Task<(SharpbaseProcess A, SharpbaseProcess B)> StartPairAsync(string redis)
    {
        // A fresh policy name per test: its keys cannot meet those of another test on a shared server.
        var policy = "shared" + Guid.NewGuid().ToString("N")[..8];
        var schema = _folder.Write("sharpbase.yaml", Collections + $$"""
            settings:
              redis: "{{redis}}"
              rate_limits:
                - { name: {{policy}}, routes: ["GET /api/posts"], per: ip, limit: {{Limit}}, window: 1m }
            """);
        var a = await SharpbaseProcess.ServeAsync(_folder.Path, schema, _folder.Combine("a"), "notes");
        _processes.Add(a);
        var b = await SharpbaseProcess.ServeAsync(_folder.Path, schema, _folder.Combine("b"), "notes");
        _processes.Add(b);
        return (a, b);
    }

    private static async Task<HttpResponseMessage> GetAsync(SharpbaseProcess process, string path)
    {
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return await client.GetAsync(path);
    }

    /// <summary>Alternates between the nodes: the limit is reached after <see cref="Limit"/> requests in all.</summary>
    private static async Task AssertOneLimitAsync(SharpbaseProcess a, SharpbaseProcess b)
    {
        for (var i = 0; i < Limit; i++)
        {
            using var allowed = await GetAsync(i % 2 == 0 ? a : b, "/api/posts");
            Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"request {i + 1}: {(int)allowed.StatusCode} {Header(allowed, "RateLimit")}");
            Assert.Contains($";r={Limit - 1 - i};", Header(allowed, "RateLimit"));
        }
        using var onA = await GetAsync(a, "/api/posts");
        using var onB = await GetAsync(b, "/api/posts");
        Assert.Equal(HttpStatusCode.TooManyRequests, onA.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, onB.StatusCode);
    }

    private static async Task WaitForRedisStateAsync(SharpbaseProcess process, string state)
    {
        var deadline = Stopwatch.StartNew();
        var last = "";
        while (deadline.Elapsed < Patience)
        {
            using var ready = await GetAsync(process, "/health/ready");
            last = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}";
            if (ready.StatusCode == HttpStatusCode.OK && last.Contains($"\"redis\":\"{state}\"", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"readiness never showed redis {state}; last: {last}\n{process.Describe()}");
    }

    [Fact]
    public async Task TwoNodes_SharedRedis_EnforceOneLimit()
    {
        var (a, b) = await StartPairAsync(RedisServer.Shared);
        await WaitForRedisStateAsync(a, "ok");
        await WaitForRedisStateAsync(b, "ok");

        await AssertOneLimitAsync(a, b);
    }

    [Fact]
    public async Task TwoNodes_RedisStoppedAndRestarted_CountLocallyThenShareAgain()
    {
        using var redis = await RedisServer.StartAsync();
        var (a, b) = await StartPairAsync(redis.Endpoint);
        await WaitForRedisStateAsync(a, "ok");
        await WaitForRedisStateAsync(b, "ok");
        await AssertOneLimitAsync(a, b);

        redis.Stop();
        await WaitForRedisStateAsync(a, "degraded");
        await WaitForRedisStateAsync(b, "degraded");

        // Each node now counts on its own: both serve, each up to the limit.
        foreach (var node in new[] { a, b })
        {
            for (var i = 0; i < Limit; i++)
            {
                using var local = await GetAsync(node, "/api/posts");
                Assert.True(local.StatusCode == HttpStatusCode.OK, $"local request {i + 1}: {(int)local.StatusCode}");
            }
            using var limited = await GetAsync(node, "/api/posts");
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }
        // Standard output to a pipe is flushed every 100 ms: wait for the line rather than read it at once.
        await a.WaitForOutputAsync("rate limits are counted per node", Patience);

        await redis.StartAgainAsync();
        await WaitForRedisStateAsync(a, "ok");
        await WaitForRedisStateAsync(b, "ok");

        await AssertOneLimitAsync(a, b);
        await a.WaitForOutputAsync("rate limits are shared again", Patience);
        Assert.Single(a.Stdout.Split('\n'), line => line.Contains("counted per node", StringComparison.Ordinal));
    }
}
