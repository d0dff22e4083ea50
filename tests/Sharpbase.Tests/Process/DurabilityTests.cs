using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class DurabilityTests(ITestOutputHelper output) : IDisposable
{
    private const string Schema = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title: { type: text, required: true, max: 100 }
              n:     { type: integer }
              body:  { type: text }
              done:  { type: boolean }
        """;

    private const int Workers = 32;
    private const int CreatesPerWorker = 20;
    private const int KillAfterAcknowledged = 200;

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

    [Fact]
    public async Task Create_SigkillMidStream_EveryAcknowledgedRecordSurvivesRestartIntact()
    {
        var schemaPath = _folder.Write("sharpbase.yaml", Schema);
        var dataDirectory = _folder.Combine("data");
        var server = Track(await SharpbaseProcess.ServeAsync(_folder.Path, schemaPath, dataDirectory, "notes"));
        var acknowledged = new ConcurrentDictionary<string, Note>();
        var unexpected = new ConcurrentQueue<string>();
        var attempts = 0;
        var inFlightAtKill = -1;
        var inFlight = 0;
        var interrupted = 0;
        var killed = 0;
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

        async Task WorkerAsync(int worker)
        {
            for (var i = 0; i < CreatesPerWorker && Volatile.Read(ref killed) == 0; i++)
            {
                var note = new Note($"w{worker}-{i} ✓ \"quoted\"", (worker * 1000) + i, new string((char)('a' + (worker % 26)), 100 + (i * 7)) + " é\n", i % 2 == 0);
                Interlocked.Increment(ref attempts);
                Interlocked.Increment(ref inFlight);
                try
                {
                    using var content = new StringContent(JsonSerializer.Serialize(new { title = note.Title, n = note.N, body = note.Body, done = note.Done }), Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync("/api/notes", content);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        unexpected.Enqueue($"{(int)response.StatusCode}: {text}");
                        return;
                    }
                    var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
                    acknowledged[id] = note;
                    if (acknowledged.Count >= KillAfterAcknowledged && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        inFlightAtKill = Volatile.Read(ref inFlight) - 1;
                        server.KillHard();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Cut off by the kill: the outcome is unknown, so the record may or may not exist.
                    Interlocked.Increment(ref interrupted);
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkerAsync(w))));
        var killedExit = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"sent {attempts}, acknowledged {acknowledged.Count}, in flight at the kill {inFlightAtKill}, interrupted {interrupted}");

        Assert.True(unexpected.IsEmpty, "non-201 answers before the kill:\n" + string.Join("\n", unexpected));
        Assert.Equal(1, killed);
        Assert.NotEqual(0, killedExit);
        Assert.True(acknowledged.Count >= KillAfterAcknowledged, $"only {acknowledged.Count} creates were acknowledged");
        Assert.True(attempts >= 200, $"only {attempts} creates were fired");
        Assert.True(inFlightAtKill > 0 && interrupted > 0, $"the kill must land while creates are in flight (in flight: {inFlightAtKill}, interrupted: {interrupted})");
        Assert.True(attempts < Workers * CreatesPerWorker, "the kill must land mid-stream, before every planned create was sent");

        var restarted = Track(await SharpbaseProcess.ServeAsync(_folder.Path, schemaPath, dataDirectory, "notes"));
        using var reader = new HttpClient { BaseAddress = restarted.BaseAddress };
        var missing = new List<string>();
        foreach (var (id, note) in acknowledged)
        {
            using var response = await reader.GetAsync($"/api/notes/{id}");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing.Add($"{id}: {(int)response.StatusCode} {text}");
                continue;
            }
            var record = JsonDocument.Parse(text).RootElement;
            Assert.Equal(note.Title, record.GetProperty("title").GetString());
            Assert.Equal(note.N, record.GetProperty("n").GetInt64());
            Assert.Equal(note.Body, record.GetProperty("body").GetString());
            Assert.Equal(note.Done, record.GetProperty("done").GetBoolean());
            Assert.Equal(1, record.GetProperty("version").GetInt32());
        }
        restarted.Terminate();
        var restartedExit = await restarted.WaitForExitAsync(TimeSpan.FromSeconds(15));
        var database = Path.Combine(dataDirectory, "data.db");

        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged creates were lost:\n" + string.Join("\n", missing));
        Assert.Equal(0, restartedExit);
        Assert.Equal("ok", SqliteFile.IntegrityCheck(database));
        var rows = Convert.ToInt32(SqliteFile.Scalar(database, "SELECT count(*) FROM notes"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rows, acknowledged.Count, attempts);
    }

    private SharpbaseProcess Track(SharpbaseProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private sealed record Note(string Title, long N, string Body, bool Done);
}
