using System.Net;
using Sharpbase.Storage.Sqlite;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary>
/// The owner rule through statements kept prepared: every signed-in caller runs the same statement
/// text with their own @auth.id bound, so two users asking in turn never see each other's drafts.
/// </summary>
public abstract class StatementReuseTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    [Fact]
    public async Task OwnersDrafts_TwoUsersInTurn_EachSeesOnlyTheirOwn()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var alices = await fixture.SeedAsync("posts", new { title = tag + " alice", status = "draft", author = fixture.Alice.Id });
        var bobs = await fixture.SeedAsync("posts", new { title = tag + " bob", status = "draft", author = fixture.Bob.Id });
        var filter = Uri.EscapeDataString($"title ~ \"{tag}\"");
        var reuses = (fixture.Server.Runtime.Database as SqliteDatabase)?.StatementReuses;

        for (var round = 0; round < 3; round++)
        {
            foreach (var (caller, own, other) in new[] { (fixture.Alice, alices, bobs), (fixture.Bob, bobs, alices) })
            {
                using var list = await fixture.Server.GetAsync($"/api/posts?filter={filter}", caller.Bearer);
                using var mine = await fixture.Server.GetAsync($"/api/posts/{own}", caller.Bearer);
                using var theirs = await fixture.Server.GetAsync($"/api/posts/{other}", caller.Bearer);

                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
                Assert.Equal([own], (await list.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
                Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            }
        }
        if (fixture.Server.Runtime.Database is SqliteDatabase sqlite)
        {
            Assert.True(sqlite.StatementReuses > reuses, "the statements ran again without being prepared again");
        }
    }
}

public sealed class StatementReuseTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : StatementReuseTests<Sqlite>(fixture);

public sealed class StatementReuseTestsOnPostgres(BlogRulesServer<Postgres> fixture) : StatementReuseTests<Postgres>(fixture);
