using System.Net;
using Microsoft.Extensions.Logging;
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
    public async Task SecretsFromAuthFlows_NeverReachTheLog()
    {
        const string password = "hunter2-but-longer";
        using var register = await _server.PostAsync("/auth/register", $$"""{"email":"secret@example.com","password":"{{password}}"}""");
        using var login = await _server.PostAsync("/auth/login", $$"""{"email":"secret@example.com","password":"{{password}}"}""");
        var tokens = await login.JsonAsync();
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        using var refreshed = await _server.PostAsync("/auth/refresh", $$"""{"refresh_token":"{{refresh}}"}""");
        using var keyResponse = await _server.PostAsync("/auth/api-keys", """{"name":"ci"}""", AuthTestAccounts.Bearer(access));
        var key = (await keyResponse.JsonAsync()).GetProperty("key").GetString()!;
        using var forgot = await _server.PostAsync("/auth/password/forgot", """{"email":"secret@example.com"}""");
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var everything = string.Join("\n", _server.Logs.Entries.Select(e => e.Message));
        foreach (var secret in new[] { password, access, refresh, key, access.Split('.')[2] })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(_server.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}

public sealed class RequestLogTestsOnSqlite : RequestLogTests<Sqlite>;

public sealed class RequestLogTestsOnPostgres : RequestLogTests<Postgres>;
