using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Caching;

public sealed class ViewCacheTests : IAsyncLifetime
{
    private const string Schema = """
        collections:
          users:
            auth: true
          writers:
            rules: { view: "true", create: "true", update: "true" }
            fields:
              name: { type: text }
          news:
            rules: { view: "true", create: "true", update: "true", delete: "true" }
            cache: { ttl: 30s }
            fields:
              title:  { type: text }
              count:  { type: integer }
              author: { type: relation, collection: writers }
          notes:
            rules: { view: "owner = @auth.id", create: "@auth.id != null" }
            cache: { ttl: 30s }
            fields:
              text:  { type: text }
              owner: { type: relation, collection: users, default: "@auth.id", readonly: true }
        settings:
          rate_limits:
            - { name: auth, routes: ["POST /auth/*"], per: ip, limit: 100, window: 1m }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync(Schema);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CachedGet_RepeatedReadRunsNoSql_AndAnUpdateOrDeleteIsSeenAtOnce()
    {
        var id = (await _server.CreateAsync("news", """{"title":"one"}""")).GetProperty("id").GetString();
        using var recorder = new SqlRecorder(_server.DatabasePath);

        using var first = await _server.GetAsync($"/api/news/{id}");
        var afterFirst = recorder.Statements.Count;
        using var second = await _server.GetAsync($"/api/news/{id}");
        var afterSecond = recorder.Statements.Count;
        using var patch = await _server.PatchAsync($"/api/news/{id}", """{"title":"two"}""");
        using var third = await _server.GetAsync($"/api/news/{id}");
        using var delete = await _server.DeleteAsync($"/api/news/{id}");
        using var fourth = await _server.GetAsync($"/api/news/{id}");

        Assert.True(afterFirst > 0);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var updated = await third.JsonAsync();
        Assert.Equal("two", updated.GetProperty("title").GetString());
        Assert.Equal("\"2\"", third.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fourth.StatusCode);
    }

    [Fact]
    public async Task CachedGet_WithExpand_SeesAWriteToTheExpandedCollection()
    {
        var writer = (await _server.CreateAsync("writers", """{"name":"Ann"}""")).GetProperty("id").GetString();
        var id = (await _server.CreateAsync("news", $$"""{"title":"t","author":"{{writer}}"}""")).GetProperty("id").GetString();

        using var before = await _server.GetAsync($"/api/news/{id}?expand=author");
        using var rename = await _server.PatchAsync($"/api/writers/{writer}", """{"name":"Bea"}""");
        using var after = await _server.GetAsync($"/api/news/{id}?expand=author");

        Assert.Equal("Ann", (await before.JsonAsync()).GetProperty("expand").GetProperty("author").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal("Bea", (await after.JsonAsync()).GetProperty("expand").GetProperty("author").GetProperty("name").GetString());
    }

    [Fact]
    public async Task CachedGet_OwnerRule_NeverServesOneUsersRecordToAnother()
    {
        var ann = await AuthTestAccounts.UserAsync(_server, "users", "ann@example.com");
        var bob = await AuthTestAccounts.UserAsync(_server, "users", "bob@example.com");
        using var created = await _server.PostAsync("/api/notes", """{"text":"ann's secret"}""", ann.Bearer);
        var id = (await created.JsonAsync()).GetProperty("id").GetString();

        using var owner = await _server.GetAsync($"/api/notes/{id}", ann.Bearer);
        using var ownerAgain = await _server.GetAsync($"/api/notes/{id}", ann.Bearer);
        using var other = await _server.GetAsync($"/api/notes/{id}", bob.Bearer);
        using var anonymous = await _server.GetAsync($"/api/notes/{id}");

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownerAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.DoesNotContain("secret", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CachedGet_UnderConcurrentWrites_NeverReturnsWhatACommittedWriteReplaced()
    {
        var id = (await _server.CreateAsync("news", """{"title":"race","count":0}""")).GetProperty("id").GetString();
        var committed = 0;
        var stale = new List<string>();
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Every write acknowledged before this read was sent must be in what it returns.
                var floor = Volatile.Read(ref committed);
                using var response = await _server.GetAsync($"/api/news/{id}");
                var count = (await response.JsonAsync()).GetProperty("count").GetInt32();
                if (count < floor)
                {
                    lock (stale)
                    {
                        stale.Add($"read {count} after {floor} was committed");
                    }
                }
            }
        })).ToList();
        for (var i = 1; i <= 150; i++)
        {
            using var patch = await _server.PatchAsync($"/api/news/{id}", JsonSerializer.Serialize(new { count = i }));
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            Volatile.Write(ref committed, i);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(stale);
    }
}
