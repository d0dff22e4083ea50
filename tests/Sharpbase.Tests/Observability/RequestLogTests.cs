using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

public abstract class RequestLogTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything + "\n  users:\n    auth: true\n", dev: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryRequest_LogsOneLineWithRouteCollectionStatusUserAndTraceId()
    {
        var user = await AuthTestAccounts.UserAsync(_server, "users", "logged@example.com");

        using var response = await _server.PostAsync("/api/tags?ignored=secret-value", """{"name":"x"}""", user.Bearer);
        var traceId = (await _server.GetAsync("/api/nothing")).Headers.Date;

        var lines = _server.Logs.Entries.Where(e => e.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        var line = Assert.Single(lines, l => l.StartsWith("POST /api/{collection} tags -> 201", StringComparison.Ordinal));
        Assert.Contains($"user {user.Id}", line, StringComparison.Ordinal);
        Assert.Matches("trace [0-9a-f]{32}", line);
        Assert.DoesNotContain("secret-value", line, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("GET /api/{collection} nothing -> 404", StringComparison.Ordinal));
        Assert.NotNull(traceId);
    }

    [Fact]
    public async Task TraceId_ContinuesAValidTraceparent_AndIsTheSameInTheProblemAndTheLogLine()
    {
        const string callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var continued = await ProblemTraceIdAsync($"00-{callerTrace}-00f067aa0ba902b7-01");
        var invalid = await ProblemTraceIdAsync("00-not-a-trace-01");
        var fresh = await ProblemTraceIdAsync(null);
        var another = await ProblemTraceIdAsync(null);

        Assert.Equal(callerTrace, continued);
        Assert.All([invalid, fresh, another], id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(4, new HashSet<string> { continued, invalid, fresh, another }.Count);
        var lines = _server.Logs.Entries.Where(e => e.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        foreach (var id in new[] { continued, invalid, fresh, another })
        {
            Assert.Single(lines, l => l.StartsWith("GET /api/{collection} nothing -> 404", StringComparison.Ordinal) && l.Contains($"trace {id}", StringComparison.Ordinal));
        }
    }

    private async Task<string> ProblemTraceIdAsync(string? traceParent)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, "/api/nothing", null, request =>
        {
            if (traceParent is not null)
            {
                request.Headers.TryAddWithoutValidation("traceparent", traceParent);
            }
        });
        var problem = await response.AssertProblemAsync(System.Net.HttpStatusCode.NotFound, "not_found");
        return problem.GetProperty("trace_id").GetString()!;
    }
}

public sealed class RequestLogTestsOnSqlite : RequestLogTests<Sqlite>;

public sealed class RequestLogTestsOnPostgres : RequestLogTests<Postgres>;
