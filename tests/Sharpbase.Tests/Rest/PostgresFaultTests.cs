using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Process;

namespace Sharpbase.Tests.Rest;

/// <summary>
/// PostgreSQL faults against a server on the test PostgreSQL of tests/services/postgres.sh: a lock
/// held elsewhere, and the whole database server restarting under load. They stop the shared
/// PostgreSQL, so they run alone (the Process collection runs after every parallel test).
/// </summary>
[Collection(ProcessTestGroup.Name)]
public sealed class PostgresFaultTests : IAsyncLifetime
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SharpbaseServer.StartAsync<Postgres>(TestSchemas.EverythingUnlimited, configure: o => o.DatabaseBusyTimeout = TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Write_WhileTableLockedElsewhere_Is503WithRetryAfter_ThenRecovers()
    {
        await using (var blocker = (NpgsqlConnection)_server.Database.Open(_server.DataDirectory))
        {
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            using var blocked = await _server.PostAsync("/api/tags", """{"name":"a"}""");

            await blocked.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(blocked.Headers.RetryAfter);
            await transaction.RollbackAsync();
        }

        using var recovered = await _server.PostAsync("/api/tags", """{"name":"a"}""");

        Assert.Equal(HttpStatusCode.Created, recovered.StatusCode);
        Assert.Equal(1, _server.CountRows("tags"));
    }

    [Fact]
    public async Task RestartPostgres_UnderLoad_503WithRetryAfterDuringOutage_ThenFullRecoveryWithoutRestart()
    {
        var acknowledged = new ConcurrentBag<string>();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var missingRetryAfter = 0;
        using var stop = new CancellationTokenSource();
        async Task LoadAsync(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = i % 2 == 0
                    ? await _server.PostAsync("/api/tags", $$"""{"name":"w{{worker}}-{{i}}"}""")
                    : await _server.GetAsync("/api/tags?limit=5");
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    acknowledged.Add(body.GetProperty("id").GetString()!);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                {
                    Interlocked.Increment(ref missingRetryAfter);
                }
                await Task.Delay(20);
            }
        }
        var load = Enumerable.Range(0, 4).Select(LoadAsync).ToList();
        await Task.Delay(500);

        await PgCtlAsync("-m", "fast", "-w", "stop");
        await Task.Delay(1500);
        using var readyDuringOutage = await _server.GetAsync("/health/ready");
        using var writeDuringOutage = await _server.PostAsync("/api/tags", """{"name":"outage"}""");
        await PgCtlAsync("-w", "-t", "60", "-l", Path.Combine(Path.GetDirectoryName(DataFolder)!, "postgres.log"), "start");
        var recovered = await WaitForAsync(async () =>
        {
            using var response = await _server.PostAsync("/api/tags", """{"name":"after"}""");
            return response.StatusCode == HttpStatusCode.Created;
        });
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        await writeDuringOutage.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.NotNull(writeDuringOutage.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuringOutage.StatusCode);
        Assert.True(recovered, "no write succeeded within 30 s of PostgreSQL coming back");
        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.Equal(0, missingRetryAfter);
        using var ready = await _server.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        foreach (var id in acknowledged)
        {
            using var read = await _server.GetAsync("/api/tags/" + id);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    private static string DataFolder => Environment.GetEnvironmentVariable("SHARPBASE_TEST_POSTGRES_DATA") is { Length: > 0 } folder
        ? folder
        : throw new InvalidOperationException("SHARPBASE_TEST_POSTGRES_DATA is not set: run ./test.sh, whose tests/services/postgres.sh starts the PostgreSQL this test restarts.");

    // pg_ctl of the test cluster, as the user that owns it (postgres refuses to run as root).
    private static async Task PgCtlAsync(params string[] arguments)
    {
        var pgCtl = Path.Combine(Environment.GetEnvironmentVariable("SHARPBASE_TEST_POSTGRES_BIN") ?? string.Empty, "pg_ctl");
        var user = Environment.GetEnvironmentVariable("SHARPBASE_TEST_POSTGRES_USER");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(user) ? pgCtl : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!string.IsNullOrEmpty(user))
        {
            foreach (var argument in new[] { "-u", user, "--", pgCtl })
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in new[] { "-D", DataFolder }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_ctl {string.Join(' ', arguments)} failed: {output}");
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return false;
    }
}
