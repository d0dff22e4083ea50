using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Rules;

namespace Sharpbase.Tests.GraphQL;

/// <summary>Queries on the blog example: nested selections, paging, and one SQL statement per root field.</summary>
public abstract class GraphQLQueryTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private async Task<(string Tag, string Post, string Tag1, string Tag2)> SeedAsync(string status = "published")
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var tag1 = await fixture.SeedAsync("tags", new { name = tag + "-a" });
        var tag2 = await fixture.SeedAsync("tags", new { name = tag + "-b" });
        var post = await fixture.SeedAsync("posts", new { title = tag + " first", status, author = fixture.Alice.Id, tags = new[] { tag2, tag1 }, meta = new { n = 1 } });
        await fixture.SeedAsync("posts", new { title = tag + " second", status, author = fixture.Alice.Id, views = 5 });
        return (tag, post, tag1, tag2);
    }

    [Fact]
    public async Task Query_ThreeLevelsWithTags_OneStatementPerRootField()
    {
        var (tag, _, _, _) = await SeedAsync();
        using var recorder = new SqlRecorder(fixture.Server.DatabaseLocation);
        const string query = """
            query($f: String) {
              posts(filter: $f, sort: "title") { items { title tags { name } author { email posts(sort: "title") { title tags { name } } } } total }
              again: posts(filter: $f, limit: 1) { items { id } }
            }
            """;

        var data = await GraphQLClient.DataAsync(fixture.Server, query, new { f = $"title ~ \"{tag}\"" }, fixture.Alice.Bearer);

        // The statements that build JSON: json_object on SQLite, json_build_object on PostgreSQL.
        var statements = recorder.Statements.Where(s => s.Contains("json_object(", StringComparison.Ordinal) || s.Contains("json_build_object(", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, statements.Count);
        Assert.Equal(2, recorder.Statements.Count(s => s.StartsWith("SELECT", StringComparison.Ordinal) && s.Contains("\"posts\"", StringComparison.Ordinal)));
        var items = data.GetProperty("posts").GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal(2, data.GetProperty("posts").GetProperty("total").GetInt32());
        var first = items[0];
        Assert.Equal($"{tag} first", first.GetProperty("title").GetString());
        // A to-many relation keeps its stored order.
        Assert.Equal([tag + "-b", tag + "-a"], first.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("alice@example.com", first.GetProperty("author").GetProperty("email").GetString());
        Assert.Contains(first.GetProperty("author").GetProperty("posts").EnumerateArray(), p => p.GetProperty("title").GetString() == $"{tag} second");
        Assert.Equal(1, data.GetProperty("again").GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Query_ScalarTypesAndAliases_AsStored()
    {
        var (_, post, tag1, tag2) = await SeedAsync();

        var data = await GraphQLClient.DataAsync(fixture.Server,
            "query($id: ID!) { post(id: $id) { id heading: title views meta version tags_ids author_id status published_at __typename } }", new { id = post }, fixture.Alice.Bearer);

        var record = data.GetProperty("post");
        Assert.Equal(post, record.GetProperty("id").GetString());
        Assert.EndsWith("first", record.GetProperty("heading").GetString());
        Assert.Equal(0, record.GetProperty("views").GetInt64());
        Assert.Equal(1, record.GetProperty("meta").GetProperty("n").GetInt32());
        Assert.Equal(1, record.GetProperty("version").GetInt64());
        Assert.Equal([tag2, tag1], record.GetProperty("tags_ids").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(fixture.Alice.Id, record.GetProperty("author_id").GetString());
        Assert.Equal("published", record.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("published_at").ValueKind);
        Assert.Equal("Post", record.GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Query_PagesWithCursor_SameAsRest()
    {
        var (tag, _, _, _) = await SeedAsync();
        var filter = $"title ~ \"{tag}\"";
        const string query = "query($f: String, $after: String) { posts(filter: $f, sort: \"-title\", limit: 1, after: $after) { items { title } next_cursor } }";

        var first = (await GraphQLClient.DataAsync(fixture.Server, query, new { f = filter })).GetProperty("posts");
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = (await GraphQLClient.DataAsync(fixture.Server, query, new { f = filter, after = cursor })).GetProperty("posts");

        Assert.Equal($"{tag} second", first.GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Equal($"{tag} first", second.GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        // The cursor is the REST one: signed, bound to the query, interchangeable.
        using var rest = await fixture.Server.GetAsync($"/api/posts?filter={Uri.EscapeDataString(filter)}&sort=-title&limit=1&after={cursor}");
        Assert.Equal($"{tag} first", (await rest.JsonAsync()).GetProperty("items")[0].GetProperty("title").GetString());
        // A character of the payload flipped, so the decoded cursor always changes. Replacing the last two
        // characters with "AA" did not always: the last one carries only two bits of the MAC, so about
        // one cursor in 256 decoded to the same bytes and was rightly accepted.
        var flipped = cursor![..5] + (cursor[5] == 'A' ? 'B' : 'A') + cursor[6..];
        var (status, tampered) = await GraphQLClient.PostAsync(fixture.Server, query, new { f = filter, after = flipped });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["bad_request"], GraphQLClient.Codes(tampered));
    }

    [Theory]
    [InlineData("posts(filter: \"auhtor = 1\") { items { id } }", "unknown_field")]
    [InlineData("posts(sort: \"nope\") { items { id } }", "unknown_field")]
    [InlineData("posts(limit: 0) { items { id } }", "bad_request")]
    [InlineData("posts(limit: 201) { items { id } }", "bad_request")]
    [InlineData("tags { items { posts(filter: \"x =\") { id } } }", "syntax")]
    public async Task Query_BadArgument_FieldErrorWithRestCode(string selection, string code)
    {
        await SeedAsync();

        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, "{ " + selection + " }");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([code], GraphQLClient.Codes(body));
    }

    // limit is an argument value, known only once variables are coerced: a field error (200) with
    // the code REST answers for ?limit=201, not a refused document (422).
    [Theory]
    [InlineData("{ posts(limit: 201) { items { id } } }", null)]
    [InlineData("query($n: Int) { posts(limit: $n) { items { id } } }", 201)]
    public async Task Query_LimitAbove200_FieldErrorBadRequestAnd200AtTheCap(string query, int? variable)
    {
        await SeedAsync();

        var atCap = await GraphQLClient.DataAsync(fixture.Server, query.Replace("201", "200", StringComparison.Ordinal), variable is null ? null : new { n = 200 });
        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, query, variable is null ? null : new { n = variable });

        Assert.True(atCap.GetProperty("posts").GetProperty("items").GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.OK, status);
        // A page is non-null (PostConnection!), so its null reaches data itself.
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("limit must be a whole number from 1 to 200", error.GetProperty("message").GetString());
        Assert.Equal(["posts"], error.GetProperty("path").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("bad_request", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Query_HiddenOrUnknownField_InvalidDocument422()
    {
        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, "{ users { items { password_hash } } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.False(body.TryGetProperty("data", out _));
        // Production mode: no "did you mean" hints.
        Assert.DoesNotContain("Did you mean", body.ToString(), StringComparison.Ordinal);
    }

    // Each error points at the node it is about, as the GraphQL spec's locations require.
    [Fact]
    public async Task Query_Errors_LocateTheirNode()
    {
        await SeedAsync();

        var (invalidStatus, invalid) = await GraphQLClient.PostAsync(fixture.Server, "{\n  posts {\n    items { titel }\n  }\n}");
        var (fieldStatus, field) = await GraphQLClient.PostAsync(fixture.Server, "{ tags { items { id } }\n  posts(limit: 0) { items { id } } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalidStatus);
        Assert.Equal((3, 13), Location(Assert.Single(invalid.GetProperty("errors").EnumerateArray())));
        Assert.Equal(HttpStatusCode.OK, fieldStatus);
        Assert.Equal((2, 3), Location(Assert.Single(field.GetProperty("errors").EnumerateArray())));

        static (int, int) Location(JsonElement error)
        {
            var location = Assert.Single(error.GetProperty("locations").EnumerateArray());
            return (location.GetProperty("line").GetInt32(), location.GetProperty("column").GetInt32());
        }
    }

    [Fact]
    public async Task Query_FragmentsDirectivesAndMergedFields_SelectExactlyWhatIsAsked()
    {
        var (tag, post, _, _) = await SeedAsync();
        const string query = """
            query($f: String, $withTags: Boolean!, $id: ID!) {
              posts(filter: $f, sort: "title") { items { ...Basic } }
              posts(filter: $f, sort: "title") { total items { views a: author { email } } }
              post(id: $id) { ... on Post { title } tags @include(if: $withTags) { name } meta @skip(if: true) }
            }
            fragment Basic on Post { title t2: title }
            """;

        var data = await GraphQLClient.DataAsync(fixture.Server, query, new { f = $"title ~ \"{tag}\"", withTags = false, id = post }, fixture.Alice.Bearer);

        var page = data.GetProperty("posts");
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var first = page.GetProperty("items")[0];
        Assert.Equal(first.GetProperty("title").GetString(), first.GetProperty("t2").GetString());
        Assert.Equal(0, first.GetProperty("views").GetInt64());
        Assert.Equal("alice@example.com", first.GetProperty("a").GetProperty("email").GetString());
        var one = data.GetProperty("post");
        Assert.EndsWith("first", one.GetProperty("title").GetString());
        Assert.False(one.TryGetProperty("tags", out _));
        Assert.False(one.TryGetProperty("meta", out _));
    }
}

public sealed class GraphQLQueryTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : GraphQLQueryTests<Sqlite>(fixture);

public sealed class GraphQLQueryTestsOnPostgres(BlogRulesServer<Postgres> fixture) : GraphQLQueryTests<Postgres>(fixture);
