using System.Net;
using System.Text;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class OtlpExportTests : IAsyncLifetime, IDisposable
{
    private const string Schema = """
        collections:
          traced:
            rules: { list: "true", view: "true", create: "true" }
            fields:
              name: { type: text }
        """;

    private const long ServerKind = 2;
    private const long ClientKind = 3;

    private readonly TempFolder _folder = new();
    private OtlpReceiver _receiver = null!;
    private SharpbaseProcess? _server;

    public async Task InitializeAsync() => _receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        _server?.Dispose();
        await _receiver.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_WithOtlpEndpoint_ExportsHttpAndSqlSpansOfOneTrace()
    {
        var port = SharpbaseProcess.FreePort();
        _server = SharpbaseProcess.Start(_folder.Path, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }, "serve", "--schema", _folder.Write("sharpbase.yaml", Schema), "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await _server.WaitForHttpAsync(new Uri(client.BaseAddress, "/health/live"), SharpbaseProcess.StartTimeout);

        using (var created = await client.PostAsync("/api/traced", new StringContent("""{"name":"value-never-exported"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // SIGTERM flushes the exporter before the process exits.
        _server.Terminate();
        Assert.Equal(0, await _server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var spans = _receiver.Spans;
        Assert.True(spans.Count > 0, $"{_receiver.Requests} export requests, no spans\n{_server.Describe()}");
        var request = Assert.Single(spans, s => s.Kind == ServerKind && s.Attributes.GetValueOrDefault("http.route") == "/api/{collection}" && s.Attributes.GetValueOrDefault("http.request.method") == "POST");
        var insert = Assert.Single(spans, s => s.Scope == "Sharpbase" && s.Kind == ClientKind && s.Name == "INSERT" && s.Attributes.GetValueOrDefault("db.collection.name") == "traced");
        Assert.Equal(request.TraceId, insert.TraceId);
        Assert.Matches("^[0-9a-f]{32}$", insert.TraceId);
        Assert.True(Ancestors(spans, insert).Contains(request.SpanId), "the INSERT span does not descend from the request span");
        Assert.StartsWith("INSERT INTO \"traced\"", insert.Attributes["db.query.text"], StringComparison.Ordinal);
        Assert.Equal("sqlite", insert.Attributes["db.system.name"]);
        Assert.DoesNotContain("value-never-exported", _receiver.RawText, StringComparison.Ordinal);
    }

    private static List<string> Ancestors(IReadOnlyList<ReceivedSpan> spans, ReceivedSpan span)
    {
        var ancestors = new List<string>();
        for (var parent = span.ParentSpanId; parent.Length > 0 && ancestors.Count < 10; parent = spans.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? string.Empty)
        {
            ancestors.Add(parent);
        }
        return ancestors;
    }
}
