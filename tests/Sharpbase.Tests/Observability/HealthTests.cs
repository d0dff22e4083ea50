using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

public abstract class HealthTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/health/live", "live")]
    [InlineData("/health/ready", "ready")]
    public async Task Health_RunningServer_Answers200NotCached(string url, string status)
    {
        using var response = await _server.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
    }
}

public sealed class HealthTestsOnSqlite : HealthTests<Sqlite>;

public sealed class HealthTestsOnPostgres : HealthTests<Postgres>;
