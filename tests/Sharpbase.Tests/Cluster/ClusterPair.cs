using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Cluster;

/// <summary>
/// Two real Sharpbase servers in this process, on one SQLite file (so one data folder, one signing
/// key) and one real redis-server: the smallest cluster.
/// </summary>
internal sealed class ClusterPair : IAsyncDisposable
{
    public const string Collections = """
        collections:
          users:
            auth: true
          news:
            rules: { list: "true", view: "true", create: "true", update: "true" }
            cache: { ttl: 5m }
            fields:
              title: { type: text }
          notes:
            rules: { view: "true", create: "true" }
            fields:
              title: { type: text }
        settings:
          auth: { Password: { MemoryKiB: 64, Iterations: 1 } }
          rate_limits:
            - { name: tests, routes: ["/*"], per: ip, limit: 100000, window: 1m }

        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private ClusterPair(SharpbaseServer a, SharpbaseServer b)
    {
        A = a;
        B = b;
    }

    public SharpbaseServer A { get; }

    public SharpbaseServer B { get; }

    /// <summary>Starts both nodes; <paramref name="auth"/> goes before the password settings in <c>settings.auth</c>.</summary>
    public static async Task<ClusterPair> StartAsync(string redis, string auth = "")
    {
        var schema = Collections.Replace("auth: { Password", "auth: { " + auth + "Password", StringComparison.Ordinal) + $"  redis: \"{redis}\"\n";
        var a = await SharpbaseServer.StartAsync(schema, dev: false, services: ClusterDetail);
        try
        {
            var b = await SharpbaseServer.StartAsync(schema, dev: false, configure: o => o.DataDirectory = a.DataDirectory, services: ClusterDetail);
            var pair = new ClusterPair(a, b);
            await pair.WaitForRedisAsync("ok");
            return pair;
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    public Task WaitForRedisAsync(string state) => OnEveryNodeAsync(async node =>
    {
        using var ready = await node.GetAsync("/health/ready");
        var seen = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}";
        return (ready.StatusCode == HttpStatusCode.OK && seen.Contains($"\"redis\":\"{state}\"", StringComparison.Ordinal), seen);
    }, $"readiness never showed redis {state}");

    /// <summary>Waits until both nodes use Redis again after an outage: lists carry a validator once a node has resynchronised.</summary>
    public Task WaitForResyncAsync() => OnEveryNodeAsync(async node =>
    {
        using var list = await node.GetAsync("/api/news");
        return (list.Headers.ETag is not null, $"{(int)list.StatusCode} without an ETag");
    }, "lists never got their validator back after Redis returned");

    /// <summary>
    /// Notes how often each node has resynchronised so far; the returned wait ends once both have done so
    /// again (a dropped link seen by a node always leads to one) and their lists carry validators.
    /// </summary>
    public Func<Task> NextResync()
    {
        var logged = NextLogLine("Resynchronised with Redis", "never resynchronised after its links to Redis dropped");
        return async () =>
        {
            await logged();
            await WaitForResyncAsync();
        };
    }

    /// <summary>Notes how often each node has logged a line starting with <paramref name="start"/>; the returned wait ends once both have logged it again.</summary>
    public Func<Task> NextLogLine(string start, string expectation)
    {
        int Count(SharpbaseServer node) => node.Logs.Entries.Count(e => e.Message.StartsWith(start, StringComparison.Ordinal));
        var before = new Dictionary<SharpbaseServer, int> { [A] = Count(A), [B] = Count(B) };
        return () => OnEveryNodeAsync(
            node => Task.FromResult((Count(node) > before[node], $"logged it {Count(node)} times, {before[node]} before")),
            expectation);
    }

    public async ValueTask DisposeAsync()
    {
        // B first: it uses A's data folder, which A's disposal deletes.
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    /// <summary>
    /// Asks each node in turn until <paramref name="probe"/> says done, failing after <see cref="Patience"/>
    /// with <paramref name="expectation"/>, the node, what it last saw and the node's cluster log.
    /// </summary>
    private async Task OnEveryNodeAsync(Func<SharpbaseServer, Task<(bool Done, string Seen)>> probe, string expectation)
    {
        foreach (var (name, node) in new[] { ("A", A), ("B", B) })
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var (done, seen) = await probe(node);
                if (done)
                {
                    break;
                }
                if (deadline.Elapsed >= Patience)
                {
                    var log = node.Services.GetRequiredService<ClusterLogCapture>().Entries.TakeLast(30).Select(e => $"{e.Level}: {e.Message}");
                    using var ready = await node.GetAsync("/health/ready");
                    Assert.Fail($"{expectation} on node {name}; last: {seen}; readiness: {await ready.Content.ReadAsStringAsync()}; its cluster log:\n{string.Join("\n", log)}");
                }
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The nodes' cluster log down to Debug (a link dropping again while its return settles is logged only there), for failure messages.</summary>
    private static void ClusterDetail(IServiceCollection services)
    {
        var capture = new ClusterLogCapture(new LogCapture(LogLevel.Debug));
        services.AddSingleton(capture);
        services.AddLogging(logging => logging.AddFilter("Sharpbase.Cluster", LogLevel.Debug).AddProvider(capture.Log));
    }
}

/// <summary>One node's log with the <c>Sharpbase.Cluster</c> lines down to Debug.</summary>
internal sealed record ClusterLogCapture(LogCapture Log)
{
    public IEnumerable<(LogLevel Level, string Category, string Message)> Entries =>
        Log.Entries.Where(e => e.Category.StartsWith("Sharpbase.Cluster", StringComparison.Ordinal));
}
