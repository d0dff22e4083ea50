using System.Globalization;
using System.Net;
using System.Text;

namespace Sharpbase.Tests.Process;

/// <summary>The CLI limits glibc's malloc arenas (see NativeHeap): counted in the server's own memory map after a concurrent load.</summary>
[Collection(ProcessTestGroup.Name)]
public sealed class NativeHeapProcessTests : IDisposable
{
    private const string Schema = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true" }
            fields:
              title: { type: text }
        settings:
          rate_limits:
            - { name: load, routes: ["/*"], per: ip, limit: 100000, window: 1m }
        """;

    // glibc's HEAP_MAX_SIZE on 64-bit: every arena but the main one is a heap of this size at an address aligned to it.
    private const long ArenaSize = 64L << 20;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_UnderConcurrentLoad_OpensNoMallocArenaBeyondOnePerCore_UnlessTheOperatorSetsTheLimit()
    {
        // One per core, and a few more that the runtime's own threads (GC, finalizer, JIT, diagnostics) take
        // before the CLI's first line runs.
        var bound = Math.Max(2, Environment.ProcessorCount) + 4;

        // The operator's own limit is left alone: with a high one, the same load opens arenas far beyond that
        // (which also shows that this load can).
        var (overrideStart, overrideAfter) = await ArenasAroundLoadAsync("tuned", new() { ["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=64" });
        Assert.True(overrideAfter > bound, $"with arena_max=64: {overrideStart} arenas at start, {overrideAfter} after the load");

        var (atStart, afterLoad) = await ArenasAroundLoadAsync("default", []);
        Assert.True(afterLoad <= bound, $"{atStart} malloc arenas besides the main one at start, {afterLoad} after the load, on {Environment.ProcessorCount} cores");
    }

    private async Task<(int AtStart, int AfterLoad)> ArenasAroundLoadAsync(string name, Dictionary<string, string> environment)
    {
        var port = SharpbaseProcess.FreePort();
        // 32 pool threads from the start (the setting is hexadecimal), so the load runs on many threads at once, as a
        // busy server's does after its pool has grown.
        environment["DOTNET_ThreadPool_ForceMinWorkerThreads"] = "20";
        using var server = SharpbaseProcess.Start(_folder.Path, environment, "serve", "--schema", _folder.Write(name + ".yaml", Schema),
            "--data", _folder.Combine(name), "--http", $"127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await server.WaitForHttpAsync(new Uri(client.BaseAddress, "/health/live"), SharpbaseProcess.StartTimeout);
        var atStart = CountArenas(await File.ReadAllLinesAsync($"/proc/{server.Id}/maps"));

        // Writes and reads from 64 callers at once, and SQLite allocates on every thread.
        await Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, cancellationToken) =>
        {
            using var created = await client.PostAsync("/api/notes", new StringContent($$"""{"title":"note {{i}}"}""", Encoding.UTF8, "application/json"), cancellationToken);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var listed = await client.GetAsync("/api/notes?limit=50&sort=-title", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        });
        return (atStart, CountArenas(await File.ReadAllLinesAsync($"/proc/{server.Id}/maps")));
    }

    /// <summary>Anonymous mappings that together make one 64 MiB heap starting at a 64 MiB boundary, the first part writable.</summary>
    private static int CountArenas(IEnumerable<string> maps)
    {
        var count = 0;
        long start = -1, end = -1;
        foreach (var line in maps)
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var range = fields[0].Split('-');
            var (from, to) = (long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            var anonymous = fields.Length < 6;
            if (anonymous && from == end && start >= 0)
            {
                end = to;
            }
            else
            {
                start = anonymous && from % ArenaSize == 0 && fields[1].StartsWith("rw", StringComparison.Ordinal) ? from : -1;
                end = to;
            }
            if (start >= 0 && end - start == ArenaSize)
            {
                count++;
                start = -1;
            }
        }
        return count;
    }
}
