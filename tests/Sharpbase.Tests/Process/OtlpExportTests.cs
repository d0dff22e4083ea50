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

    [Fact]
    public async Task Serve_WithOtlpEndpoint_ExportsAuthCacheRateLimitAndMailSpansUnderTheirRequestsTrace()
    {
        const string email = "span-reader@example.com";
        const string password = "a long and private passphrase";
        var port = SharpbaseProcess.FreePort();
        _server = SharpbaseProcess.Start(_folder.Path, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }, "serve", "--schema", _folder.Write("sharpbase.yaml", FeatureSchema), "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await _server.WaitForHttpAsync(new Uri(client.BaseAddress, "/health/live"), SharpbaseProcess.StartTimeout);

        var register = await SendAsync(client, HttpMethod.Post, "/auth/register", HttpStatusCode.Accepted, $$"""{"email":"{{email}}","password":"{{password}}"}""");
        var outbox = _folder.Combine(Path.Combine("data", "outbox"));
        for (var attempt = 0; attempt < 100 && !(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox, "*.eml").Any()); attempt++)
        {
            await Task.Delay(100);
        }
        var login = await SendAsync(client, HttpMethod.Post, "/auth/login", HttpStatusCode.OK, $$"""{"email":"{{email}}","password":"{{password}}"}""");
        using var session = System.Text.Json.JsonDocument.Parse(login.Body);
        var accessToken = session.RootElement.GetProperty("access_token").GetString()!;
        var refreshToken = session.RootElement.GetProperty("refresh_token").GetString()!;
        var missed = await SendAsync(client, HttpMethod.Get, "/api/cached", HttpStatusCode.OK, bearer: accessToken);
        var hit = await SendAsync(client, HttpMethod.Get, "/api/cached", HttpStatusCode.OK, bearer: accessToken);
        var refresh = await SendAsync(client, HttpMethod.Post, "/auth/refresh", HttpStatusCode.OK, $$"""{"refresh_token":"{{refreshToken}}"}""");
        var allowed = await SendAsync(client, HttpMethod.Get, "/api/limited", HttpStatusCode.OK);
        var rejected = await SendAsync(client, HttpMethod.Get, "/api/limited", HttpStatusCode.TooManyRequests);
        _server.Terminate();
        Assert.Equal(0, await _server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var spans = _receiver.Spans;
        ReceivedSpan Span(string traceId, string name, params (string Key, string Value)[] tags)
        {
            var found = Assert.Single(spans, s => s.Scope == "Sharpbase" && s.TraceId == traceId && s.Name == name && tags.All(t => s.Attributes.GetValueOrDefault(t.Key) == t.Value));
            var request = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ServerKind);
            Assert.True(Ancestors(spans, found).Contains(request.SpanId), $"{name} does not descend from its request span");
            return found;
        }
        Span(register.TraceId, "auth.password.hash");
        Span(register.TraceId, "mail.send", ("sharpbase.mail.kind", "verification"), ("sharpbase.mail.transport", "outbox"), ("sharpbase.mail.outcome", "written"));
        Span(login.TraceId, "auth.sign_in", ("sharpbase.auth.account_kind", "user"), ("sharpbase.auth.result", "signed_in"));
        Span(login.TraceId, "auth.password.verify", ("sharpbase.auth.result", "valid"));
        Span(missed.TraceId, "auth.token.validate", ("sharpbase.auth.credential", "access_token"), ("sharpbase.auth.result", "valid"));
        Span(missed.TraceId, "cache.list", ("sharpbase.collection", "cached"), ("sharpbase.cache.kind", "list"), ("sharpbase.cache.result", "miss"));
        Span(hit.TraceId, "cache.list", ("sharpbase.collection", "cached"), ("sharpbase.cache.result", "hit"));
        Span(refresh.TraceId, "auth.refresh", ("sharpbase.auth.account_kind", "user"), ("sharpbase.auth.result", "rotated"));
        Span(allowed.TraceId, "rate_limit.acquire", ("sharpbase.rate_limit.policy", "tight"), ("sharpbase.rate_limit.store", "local"), ("sharpbase.rate_limit.result", "allowed"));
        Span(rejected.TraceId, "rate_limit.acquire", ("sharpbase.rate_limit.policy", "tight"), ("sharpbase.rate_limit.result", "rejected"));
        var exported = _receiver.RawText;
        foreach (var secret in new[] { email, "span-reader", password, accessToken, refreshToken, accessToken[^20..], refreshToken[^12..] })
        {
            Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
        }
    }

    private const string FeatureSchema = """
        collections:
          users:
            auth: true
          cached:
            rules: { list: "true", view: "true" }
            fields:
              name: { type: text }
            cache: { ttl: 30s }
          limited:
            rules: { list: "true" }
            fields:
              name: { type: text }
        settings:
          rate_limits:
            - { name: tight, routes: ["GET /api/limited"], per: ip, limit: 1, window: 1m }
        """;

    /// <summary>Sends one request as the root of a new trace (W3C traceparent, sampled) and returns that trace id and the body.</summary>
    private static async Task<(string TraceId, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode expected, string? json = null, string? bearer = null)
    {
        var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return (traceId, body);
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
