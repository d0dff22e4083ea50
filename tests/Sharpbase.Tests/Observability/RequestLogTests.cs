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
}

public sealed class RequestLogTestsOnSqlite : RequestLogTests<Sqlite>;

public sealed class RequestLogTestsOnPostgres : RequestLogTests<Postgres>;
