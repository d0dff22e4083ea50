using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

public abstract class MetricsTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    // Meters are process-wide and other test servers (this test on the other database too) run
    // alongside, so this test counts a collection only it has.
    private static readonly string Collection = "metered_" + typeof(TDatabase).Name.ToLowerInvariant();

    private static readonly string Schema = $$"""
        collections:
          {{Collection}}:
            rules: { list: "true", create: "true" }
            fields:
              name: { type: text }
        """;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(Schema);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Metrics_AfterTraffic_ShowRequestAndSqlDurationsByRouteAndCollection()
    {
        for (var i = 0; i < 3; i++)
        {
            await _server.CreateAsync(Collection, $$"""{"name":"m{{i}}"}""");
        }
        using (await _server.GetAsync("/api/" + Collection))
        {
        }

        var text = await PollMetricsAsync("sharpbase_db_query_duration_seconds_count");

        var lines = text.Split('\n');
        var creates = Assert.Single(lines, l => l.StartsWith("sharpbase_http_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("http_request_method=\"POST\"", StringComparison.Ordinal) && l.Contains("http_route=\"/api/{collection}\"", StringComparison.Ordinal)
            && l.Contains($"sharpbase_collection=\"{Collection}\"", StringComparison.Ordinal) && l.Contains("http_response_status_code=\"201\"", StringComparison.Ordinal));
        Assert.EndsWith(" 3", creates.Split(' ', 2)[1].Insert(0, " "), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("sharpbase_db_query_duration_seconds_count{", StringComparison.Ordinal) && l.Contains("db_operation_name=\"INSERT\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("sharpbase_http_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"0.005\"", StringComparison.Ordinal));
        Assert.DoesNotContain("m0", text, StringComparison.Ordinal);
    }

    private async Task<string> PollMetricsAsync(string marker)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await _server.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains(marker, StringComparison.Ordinal) || attempt == 20)
            {
                return text;
            }
            await Task.Delay(200);
        }
    }
}

public sealed class MetricsTestsOnSqlite : MetricsTests<Sqlite>;

public sealed class MetricsTestsOnPostgres : MetricsTests<Postgres>;
