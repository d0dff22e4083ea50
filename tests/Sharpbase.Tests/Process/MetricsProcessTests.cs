using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Sharpbase.Tests.Process;

/// <summary>The CLI's Prometheus exporter, scraped after known traffic; one server in its own process, so every count is exact.</summary>
[Collection(ProcessTestGroup.Name)]
public sealed partial class MetricsProcessTests : IDisposable
{
    private const string Schema = """
        collections:
          scraped:
            rules: { list: "true", view: "true", create: "true" }
            fields:
              name: { type: text }
            cache: { ttl: 30s }
          limited:
            rules: { list: "true" }
            fields:
              name: { type: text }
        settings:
          rate_limits:
            - { name: tight, routes: ["GET /api/limited"], per: ip, limit: 2, window: 1m }
        """;

    private readonly TempFolder _folder = new();
    private SharpbaseProcess? _server;

    public void Dispose()
    {
        _server?.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Metrics_AfterKnownTraffic_CountRequestsByRouteAndCollectionSqlCacheHitsAndRejections()
    {
        var port = SharpbaseProcess.FreePort();
        _server = SharpbaseProcess.Start(_folder.Path, null, "serve", "--schema", _folder.Write("sharpbase.yaml", Schema), "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await _server.WaitForHttpAsync(new Uri(client.BaseAddress, "/health/live"), SharpbaseProcess.StartTimeout);

        for (var i = 0; i < 2; i++)
        {
            using var created = await client.PostAsync("/api/scraped", new StringContent($$"""{"name":"secret-name-{{i}}"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        for (var i = 0; i < 3; i++)
        {
            using var listed = await client.GetAsync("/api/scraped");
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var limited = await client.GetAsync("/api/limited");
            statuses.Add(limited.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        var text = await ScrapeAsync(client, "sharpbase_rate_limit_rejections_total");
        var samples = Parse(text);

        Assert.Equal(2, Value(samples, "sharpbase_http_request_duration_seconds_count", ("http_request_method", "POST"), ("http_route", "/api/{collection}"), ("sharpbase_collection", "scraped"), ("http_response_status_code", "201")));
        Assert.Equal(3, Value(samples, "sharpbase_http_request_duration_seconds_count", ("http_request_method", "GET"), ("http_route", "/api/{collection}"), ("sharpbase_collection", "scraped"), ("http_response_status_code", "200")));
        Assert.Equal(2, Value(samples, "sharpbase_http_request_duration_seconds_count", ("sharpbase_collection", "limited"), ("http_response_status_code", "200")));
        Assert.Equal(2, Value(samples, "sharpbase_http_request_duration_seconds_count", ("sharpbase_collection", "limited"), ("http_response_status_code", "429")));
        Assert.Equal(3, Value(samples, "sharpbase_http_request_duration_seconds_bucket", ("sharpbase_collection", "scraped"), ("http_response_status_code", "200"), ("le", "+Inf")));
        Assert.Equal(2, Value(samples, "sharpbase_db_query_duration_seconds_count", ("db_collection_name", "scraped"), ("db_operation_name", "INSERT"), ("db_system_name", "sqlite")));
        Assert.True(Value(samples, "sharpbase_db_query_duration_seconds_count", ("db_collection_name", "scraped"), ("db_operation_name", "SELECT")) >= 1);
        Assert.Equal(1, Value(samples, "sharpbase_cache_requests_total", ("sharpbase_collection", "scraped"), ("sharpbase_cache_result", "miss")));
        Assert.Equal(2, Value(samples, "sharpbase_cache_requests_total", ("sharpbase_collection", "scraped"), ("sharpbase_cache_result", "hit")));
        Assert.Equal(2, Value(samples, "sharpbase_rate_limit_rejections_total", ("policy", "tight")));
        Assert.Contains("# TYPE sharpbase_http_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE sharpbase_db_query_duration_seconds histogram", text, StringComparison.Ordinal);
        // The runtime's own meter: memory, collections, JIT and thread pool, for sizing a node.
        Assert.True(Value(samples, "dotnet_gc_heap_total_allocated_bytes_total") > 0);
        Assert.True(Value(samples, "dotnet_process_memory_working_set_bytes") > 0);
        // The native executable compiles nothing at run time; on the dotnet host the JIT does.
        Assert.Equal(SharpbaseProcess.NativeExecutable is null, Value(samples, "dotnet_jit_compiled_methods_total") > 0);
        Assert.True(Value(samples, "dotnet_assembly_count") > 0);
        // The scrape itself is the one request being handled.
        Assert.Equal(1, Value(samples, "sharpbase_http_active_requests"));
        // ASP.NET Core's connection metrics; not its request instruments, which Sharpbase's repeat, nor the
        // memory pool's, which records on every buffer rented.
        Assert.DoesNotContain("http_server_request_duration", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_server_active_requests", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE kestrel_active_connections", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_memory_pool", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_routing_match_attempts", text, StringComparison.Ordinal);
        // Low cardinality: templates and names, never a path, an id or a value.
        Assert.DoesNotContain("/api/scraped", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-name", text, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-", text);
    }

    private static async Task<string> ScrapeAsync(HttpClient client, string marker)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains(marker, StringComparison.Ordinal) || attempt == 30)
            {
                return text;
            }
            await Task.Delay(200);
        }
    }

    private static double Value(List<(string Name, Dictionary<string, string> Labels, double Value)> samples, string name, params (string Key, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        Assert.True(matching.Count > 0, $"no sample {name} with {string.Join(", ", labels)}");
        return matching.Sum(s => s.Value);
    }

    private static List<(string Name, Dictionary<string, string> Labels, double Value)> Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is not { Success: true } match)
            {
                continue;
            }
            var labels = Label().Matches(match.Groups[2].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            samples.Add((match.Groups[1].Value, labels, double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([^ ]+)")]
    private static partial Regex Sample();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"[,]?""")]
    private static partial Regex Label();
}
