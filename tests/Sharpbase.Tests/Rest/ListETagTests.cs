using System.Net;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class ListETagTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything + "\n  users:\n    auth: true\n");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Action<HttpRequestMessage> IfNoneMatch(string etag) => r => r.Headers.TryAddWithoutValidation("If-None-Match", etag);

    [Fact]
    public async Task List_IfNoneMatch_Is304UntilAWriteCommits()
    {
        await _server.CreateAsync("tags", """{"name":"a"}""");
        using var first = await _server.GetAsync("/api/tags?sort=name");
        var etag = first.Headers.ETag!.ToString();

        using var recorder = new SqlRecorder(_server.DatabaseLocation);
        using var unchanged = await _server.GetAsync("/api/tags?sort=name", IfNoneMatch(etag));
        var statementsFor304 = recorder.Statements;
        await _server.CreateAsync("tags", """{"name":"b"}""");
        recorder.Clear();
        using var changed = await _server.GetAsync("/api/tags?sort=name", IfNoneMatch(etag));

        Assert.True(first.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(etag, unchanged.Headers.ETag!.ToString());
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Empty(statementsFor304);
        Assert.NotEmpty(recorder.Statements);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag!.ToString());
        Assert.Equal(2, (await changed.JsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_ETag_DependsOnTheQueryAndTheCaller()
    {
        var user = await AuthTestAccounts.UserAsync(_server, "users", "etag@example.com");

        using var byName = await _server.GetAsync("/api/tags?sort=name");
        using var byNameDesc = await _server.GetAsync("/api/tags?sort=-name");
        using var asUser = await _server.GetAsync("/api/tags?sort=name", user.Bearer);
        using var otherQueryRevalidated = await _server.GetAsync("/api/tags?sort=-name", IfNoneMatch(byName.Headers.ETag!.ToString()));
        using var otherCallerRevalidated = await _server.GetAsync("/api/tags?sort=name", r =>
        {
            user.Bearer(r);
            r.Headers.TryAddWithoutValidation("If-None-Match", byName.Headers.ETag!.ToString());
        });

        Assert.NotEqual(byName.Headers.ETag, byNameDesc.Headers.ETag);
        Assert.NotEqual(byName.Headers.ETag, asUser.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, otherQueryRevalidated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherCallerRevalidated.StatusCode);
    }
}

public sealed class ListETagTestsOnSqlite : ListETagTests<Sqlite>;

public sealed class ListETagTestsOnPostgres : ListETagTests<Postgres>;
