using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class ShutdownTests : IDisposable
{
    private const string Schema = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title: { type: text, required: true }
        """;

    // Well under the 30 s shutdown timeout the server grants in-flight requests, but longer than
    // a couple of seconds, like a slow client upload.
    private static readonly TimeSpan SlowRequestTail = TimeSpan.FromSeconds(2.5);

    private readonly TempFolder _folder = new();
    private SharpbaseProcess? _server;

    public void Dispose()
    {
        _server?.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Sigterm_RequestsInFlight_TheyCompleteAndProcessExitsZeroWithCheckpointedDatabase()
    {
        var schemaPath = _folder.Write("sharpbase.yaml", Schema);
        var dataDirectory = _folder.Combine("data");
        var database = Path.Combine(dataDirectory, "data.db");
        _server = await SharpbaseProcess.ServeAsync(_folder.Path, schemaPath, dataDirectory, "notes");
        using var client = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < 10; i++)
        {
            using var created = await client.PostAsync("/api/notes", Json($$"""{"title":"before {{i}}"}"""));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        Assert.True(new FileInfo(database + "-wal").Length > 0, "the writes should sit in the WAL before shutdown, or the checkpoint is not tested");
        var release = new TaskCompletionSource();
        var bodies = Enumerable.Range(0, 3).Select(i => new SlowContent($$"""{"title":"slow {{i}}"}""", release.Task)).ToList();
        foreach (var body in bodies)
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        var slowPosts = bodies.Select(body => client.PostAsync("/api/notes", body)).ToList();
        await Task.WhenAll(bodies.Select(b => b.HalfSent)).WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(500);

        _server.Terminate();
        var sinceSignal = Stopwatch.StartNew();
        await Task.Delay(SlowRequestTail);
        Assert.False(_server.HasExited, "the process exited while requests were still in flight:\n" + _server.Describe());
        release.SetResult();
        var responses = await Task.WhenAll(slowPosts);
        var exitCode = await _server.WaitForExitAsync(TimeSpan.FromSeconds(15));
        var stopped = sinceSignal.Elapsed;

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            response.Dispose();
        }
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{_server.Describe()}");
        Assert.True(stopped < SlowRequestTail + TimeSpan.FromSeconds(5), $"took {stopped} to stop");
        Assert.True(!File.Exists(database + "-wal") || new FileInfo(database + "-wal").Length == 0, "the WAL was not checkpointed on close");
        Assert.Equal("ok", SqliteFile.IntegrityCheck(database));
        Assert.Equal(13L, SqliteFile.Scalar(database, "SELECT count(*) FROM notes"));
        Assert.Equal(3L, SqliteFile.Scalar(database, "SELECT count(*) FROM notes WHERE title LIKE 'slow %'"));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
