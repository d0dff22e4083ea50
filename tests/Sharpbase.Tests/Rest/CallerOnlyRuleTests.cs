using System.Net;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

/// <summary>A create rule about the caller only (the blog's <c>@auth.id != null</c>) is decided before validation.</summary>
public abstract class CallerOnlyRuleTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("""{"title":"Hello"}""")]
    [InlineData("""{"title":5,"nope":true}""")]
    public async Task Create_AnonymousOnBlogPosts_Is403BeforeValidation(string body)
    {
        using var response = await _server.PostAsync("/api/posts", body);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, _server.CountRows("posts"));
    }

    [Fact]
    public async Task Create_SignedInUser_IsCreatedWithTheUserAsAuthor()
    {
        var user = await AuthTestAccounts.UserAsync(_server, "users", "writer@example.com");

        using var response = await _server.PostAsync("/api/posts", """{"title":"Hello"}""", user.Bearer);
        using var invalid = await _server.PostAsync("/api/posts", """{"title":5}""", user.Bearer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(user.Id, (await response.JsonAsync()).GetProperty("author").GetString());
        await invalid.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
    }

    [Fact]
    public async Task Create_SignedInUser_RunsNoStatementToCheckTheRuleAndDeletesNoLinks()
    {
        var user = await AuthTestAccounts.UserAsync(_server, "users", "counted@example.com");
        using var recorder = new SqlRecorder(_server.DatabaseLocation);

        using var response = await _server.PostAsync("/api/posts", """{"title":"Counted"}""", user.Bearer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Counted", (await response.JsonAsync()).GetProperty("title").GetString());
        var statements = recorder.Statements;
        Assert.DoesNotContain(statements, s => s.StartsWith("SELECT 1 ", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.StartsWith("DELETE", StringComparison.Ordinal));
        var posts = statements.Where(s => s.Contains("\"posts\"", StringComparison.Ordinal)).ToList();
        if (_server.Runtime.Database.Dialect.InsertReturnsRow)
        {
            // One statement checks the author exists, inserts the post and returns it.
            var insert = Assert.Single(posts);
            Assert.StartsWith("INSERT INTO \"posts\" AS t", insert, StringComparison.Ordinal);
            Assert.Contains("RETURNING", insert, StringComparison.Ordinal);
            Assert.DoesNotContain(statements, s => s.StartsWith("SELECT t.id FROM \"users\"", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(2, posts.Count);
            Assert.StartsWith("INSERT INTO \"posts\"", posts[0], StringComparison.Ordinal);
            Assert.StartsWith("SELECT ", posts[1], StringComparison.Ordinal);
        }
    }
}

public sealed class CallerOnlyRuleTestsOnSqlite : CallerOnlyRuleTests<Sqlite>;

public sealed class CallerOnlyRuleTestsOnPostgres : CallerOnlyRuleTests<Postgres>;
