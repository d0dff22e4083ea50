using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class ServerSettingsTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything + "\nsettings:\n  server: { max_page_size: 5, default_page_size: 2 }\n");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PageSizes_FromSettings_ApplyToLists()
    {
        for (var i = 0; i < 4; i++)
        {
            await _server.CreateAsync("tags", $$"""{"name":"t{{i}}"}""");
        }

        using var byDefault = await _server.GetAsync("/api/tags");
        using var atMost = await _server.GetAsync("/api/tags?limit=5");
        using var over = await _server.GetAsync("/api/tags?limit=6");

        Assert.Equal(2, (await byDefault.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(4, (await atMost.JsonAsync()).GetProperty("items").GetArrayLength());
        var problem = await over.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Contains("from 1 to 5", problem.GetProperty("detail").GetString());
    }
}

public sealed class ServerSettingsTestsOnSqlite : ServerSettingsTests<Sqlite>;

public sealed class ServerSettingsTestsOnPostgres : ServerSettingsTests<Postgres>;
