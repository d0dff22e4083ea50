using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Caching;

public abstract class ListCacheTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Schema = """
        collections:
          news:
            rules: { list: "true", create: "true" }
            cache: { ttl: 30s }
            fields:
              title: { type: text }
          plain:
            rules: { list: "true", create: "true" }
            fields:
              title: { type: text }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(Schema);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CachedCollection_RepeatedListRunsNoSql_AndAWriteIsSeenAtOnce()
    {
        await _server.CreateAsync("news", """{"title":"one"}""");
        using var recorder = new SqlRecorder(_server.DatabaseLocation);

        using var first = await _server.GetAsync("/api/news?sort=title");
        var afterFirst = recorder.Statements.Count;
        using var second = await _server.GetAsync("/api/news?sort=title");
        var afterSecond = recorder.Statements.Count;
        await _server.CreateAsync("news", """{"title":"two"}""");
        recorder.Clear();
        using var third = await _server.GetAsync("/api/news?sort=title");

        Assert.True(afterFirst > 0);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(2, (await third.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.NotEmpty(recorder.Statements);
    }

    [Fact]
    public async Task UncachedCollection_EveryListRunsSql()
    {
        using var recorder = new SqlRecorder(_server.DatabaseLocation);

        using var first = await _server.GetAsync("/api/plain");
        var afterFirst = recorder.Statements.Count;
        using var second = await _server.GetAsync("/api/plain");

        Assert.True(recorder.Statements.Count > afterFirst);
    }

    [Fact]
    public async Task CachedCollection_BadParameter_IsAnsweredEachTime()
    {
        using var first = await _server.GetAsync("/api/news?sort=nope");
        using var second = await _server.GetAsync("/api/news?sort=nope");

        await first.AssertProblemAsync(HttpStatusCode.BadRequest, "unknown_field");
        await second.AssertProblemAsync(HttpStatusCode.BadRequest, "unknown_field");
    }
}

public sealed class ListCacheTestsOnSqlite : ListCacheTests<Sqlite>;

public sealed class ListCacheTestsOnPostgres : ListCacheTests<Postgres>;
