using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Auth;
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
          writers:
            rules: { list: "true", view: "true", create: "true", update: "true" }
            fields:
              name: { type: text }
          stories:
            rules: { list: "true", create: "true" }
            cache: { ttl: 30s }
            fields:
              title:  { type: text }
              author: { type: relation, collection: writers }
          users:
            auth: true
          notes:
            rules: { list: "owner = @auth.id", create: "@auth.id != null" }
            cache: { ttl: 30s }
            fields:
              text:  { type: text }
              owner: { type: relation, collection: users, default: "@auth.id", readonly: true }
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
    public async Task CachedCollection_WithExpand_SeesAWriteToTheExpandedCollection()
    {
        var writer = (await _server.CreateAsync("writers", """{"name":"Ann"}""")).GetProperty("id").GetString();
        await _server.CreateAsync("stories", $$"""{"title":"t","author":"{{writer}}"}""");

        using var before = await _server.GetAsync("/api/stories?expand=author");
        using var recorder = new SqlRecorder(_server.DatabaseLocation);
        using var beforeAgain = await _server.GetAsync("/api/stories?expand=author");
        var statementsWhileCached = recorder.Statements;
        using var rename = await _server.PatchAsync($"/api/writers/{writer}", """{"name":"Bea"}""");
        using var after = await _server.GetAsync("/api/stories?expand=author");

        static string? AuthorName(JsonElement page) => page.GetProperty("items")[0].GetProperty("expand").GetProperty("author").GetProperty("name").GetString();
        Assert.Equal("Ann", AuthorName(await before.JsonAsync()));
        Assert.Equal(await before.Content.ReadAsStringAsync(), await beforeAgain.Content.ReadAsStringAsync());
        Assert.Empty(statementsWhileCached);
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal("Bea", AuthorName(await after.JsonAsync()));
    }

    [Fact]
    public async Task CachedCollection_OwnerRule_NeverServesOneUsersListToAnother()
    {
        var ann = await AuthTestAccounts.UserAsync(_server, "users", "ann@example.com");
        var bob = await AuthTestAccounts.UserAsync(_server, "users", "bob@example.com");
        using var created = await _server.PostAsync("/api/notes", """{"text":"ann secret"}""", ann.Bearer);

        using var owner = await _server.GetAsync("/api/notes", ann.Bearer);
        using var ownerAgain = await _server.GetAsync("/api/notes", ann.Bearer);
        using var other = await _server.GetAsync("/api/notes", bob.Bearer);
        using var anonymous = await _server.GetAsync("/api/notes");
        using var bobsNote = await _server.PostAsync("/api/notes", """{"text":"bob own"}""", bob.Bearer);
        using var otherAfterWrite = await _server.GetAsync("/api/notes", bob.Bearer);
        using var ownerAfterWrite = await _server.GetAsync("/api/notes", ann.Bearer);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, (await owner.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(await owner.Content.ReadAsStringAsync(), await ownerAgain.Content.ReadAsStringAsync());
        Assert.Equal(0, (await other.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await anonymous.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.DoesNotContain("secret", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, bobsNote.StatusCode);
        var bobsList = await otherAfterWrite.Content.ReadAsStringAsync();
        Assert.Contains("bob own", bobsList, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", bobsList, StringComparison.Ordinal);
        var annsList = await ownerAfterWrite.Content.ReadAsStringAsync();
        Assert.Contains("ann secret", annsList, StringComparison.Ordinal);
        Assert.DoesNotContain("bob own", annsList, StringComparison.Ordinal);
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
