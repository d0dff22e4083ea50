using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Rules;

namespace Sharpbase.Tests.GraphQL;

/// <summary>
/// The rules matrix of the REST tests (<c>RulesMatrixTests</c>), cell by cell, through GraphQL:
/// lists, single records, nested selections into records the caller can't see, and mutations
/// with the REST problem codes as <c>extensions.code</c>.
/// </summary>
public abstract class GraphQLRulesMatrixTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private const string OwnDraft = "own draft";
    private const string OthersDraft = "other's draft";
    private const string OthersPublished = "other's published";

    public static TheoryData<string, string, bool> ListCells => new()
    {
        { "anonymous", OwnDraft, false }, { "anonymous", OthersDraft, false }, { "anonymous", OthersPublished, true },
        { "owner", OwnDraft, true }, { "owner", OthersDraft, false }, { "owner", OthersPublished, true },
        { "other", OwnDraft, false }, { "other", OthersDraft, true }, { "other", OthersPublished, true },
        { "superuser", OwnDraft, true }, { "superuser", OthersDraft, true }, { "superuser", OthersPublished, true },
        { "apikey", OwnDraft, true }, { "apikey", OthersDraft, false }, { "apikey", OthersPublished, true },
    };

    public static TheoryData<string, string, string?> CreateCells => new()
    {
        { "anonymous", OwnDraft, "forbidden" }, { "anonymous", OthersDraft, "forbidden" },
        { "owner", OwnDraft, null }, { "owner", OthersDraft, "validation_failed" },
        { "superuser", OwnDraft, "validation_failed" }, { "superuser", OthersPublished, null },
        { "apikey", OwnDraft, null }, { "apikey", OthersPublished, "validation_failed" },
    };

    public static TheoryData<string, string, string?> UpdateCells => new()
    {
        { "anonymous", OwnDraft, "not_found" }, { "anonymous", OthersPublished, "forbidden" },
        { "owner", OwnDraft, null }, { "owner", OthersDraft, "not_found" }, { "owner", OthersPublished, "forbidden" },
        { "other", OthersDraft, null }, { "superuser", OwnDraft, null }, { "apikey", OthersPublished, "forbidden" },
    };

    public static TheoryData<string, string, string?> DeleteCells => new()
    {
        { "anonymous", OwnDraft, "not_found" }, { "anonymous", OthersPublished, "forbidden" },
        { "owner", OwnDraft, null }, { "owner", OthersDraft, "not_found" }, { "other", OthersPublished, null },
        { "superuser", OthersDraft, null }, { "apikey", OthersPublished, "forbidden" },
    };

    /// <summary>Three posts tagged with one fresh tag: alice's draft, bob's draft, bob's published post.</summary>
    private async Task<(Dictionary<string, string> Ids, string Tag, string TagId)> SeedAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var tagId = await fixture.SeedAsync("tags", new { name = tag });
        var ids = new Dictionary<string, string>
        {
            [OwnDraft] = await fixture.SeedAsync("posts", new { title = $"{tag} alice draft", status = "draft", author = fixture.Alice.Id, tags = new[] { tagId } }),
            [OthersDraft] = await fixture.SeedAsync("posts", new { title = $"{tag} bob draft", status = "draft", author = fixture.Bob.Id, tags = new[] { tagId } }),
            [OthersPublished] = await fixture.SeedAsync("posts", new { title = $"{tag} bob published", status = "published", author = fixture.Bob.Id, tags = new[] { tagId } }),
        };
        return (ids, tag, tagId);
    }

    [Theory]
    [MemberData(nameof(ListCells))]
    public async Task List_CallerAndPost_ShownOnlyWhereTheListRuleHolds(string caller, string target, bool shown)
    {
        var (ids, tag, _) = await SeedAsync();

        var data = await GraphQLClient.DataAsync(fixture.Server, "query($f: String) { posts(filter: $f, limit: 100) { items { id } total } }",
            new { f = $"title ~ \"{tag}\"" }, fixture.As(caller));

        var listed = data.GetProperty("posts").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(shown, listed.Contains(ids[target]));
        Assert.Equal(listed.Count, data.GetProperty("posts").GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(ListCells))]
    public async Task View_CallerAndPost_RecordOrNull(string caller, string target, bool shown)
    {
        // The view rule of the blog is the list rule: the same cells.
        var (ids, _, _) = await SeedAsync();

        var data = await GraphQLClient.DataAsync(fixture.Server, "query($id: ID!) { post(id: $id) { id title } }", new { id = ids[target] }, fixture.As(caller));

        Assert.Equal(shown, data.GetProperty("post").ValueKind == JsonValueKind.Object);
    }

    [Theory]
    [MemberData(nameof(ListCells))]
    public async Task Nested_ReverseListThroughTag_ShowsOnlyListablePosts(string caller, string target, bool shown)
    {
        var (ids, _, tagId) = await SeedAsync();

        var data = await GraphQLClient.DataAsync(fixture.Server, "query($id: ID!) { tag(id: $id) { name posts(limit: 100) { id author { id email } } } }", new { id = tagId }, fixture.As(caller));

        var posts = data.GetProperty("tag").GetProperty("posts").EnumerateArray().ToList();
        Assert.Equal(shown, posts.Any(p => p.GetProperty("id").GetString() == ids[target]));
        foreach (var post in posts)
        {
            // Users may only view themselves: another user's record is null, never leaked.
            var author = post.GetProperty("author");
            var self = caller switch { "owner" or "apikey" => fixture.Alice.Id, "other" => fixture.Bob.Id, _ => null };
            if (caller != "superuser")
            {
                Assert.True(author.ValueKind == JsonValueKind.Null || author.GetProperty("id").GetString() == self, $"{caller} saw {author}");
            }
        }
    }

    [Fact]
    public async Task Nested_FilterThroughRelation_CannotProbeInvisibleRecords()
    {
        var (_, tag, _) = await SeedAsync();

        // bob's email is not visible to alice: a filter on it must match nothing, not reveal it.
        var data = await GraphQLClient.DataAsync(fixture.Server, "query($f: String) { posts(filter: $f) { items { id } } }",
            new { f = $"title ~ \"{tag}\" && author.email = \"bob@example.com\"" }, fixture.Alice.Bearer);

        Assert.Equal(0, data.GetProperty("posts").GetProperty("items").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(CreateCells))]
    public async Task Create_CallerAndPost_CreatedOrRestCode(string caller, string target, string? code)
    {
        var title = $"{Guid.NewGuid():N} new";
        object data = target switch
        {
            OwnDraft => new { title, status = "draft" },
            OthersDraft => new { title, status = "draft", author = fixture.Bob.Id },
            _ => new { title, status = "published", author = fixture.Bob.Id },
        };
        var before = fixture.Server.CountRows("posts");

        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, "mutation($d: PostInput!) { createPost(data: $d) { id title author { id } } }", new { d = data }, fixture.As(caller));

        Assert.Equal(HttpStatusCode.OK, status);
        if (code is null)
        {
            Assert.Equal(title, body.GetProperty("data").GetProperty("createPost").GetProperty("title").GetString());
            Assert.Equal(before + 1, fixture.Server.CountRows("posts"));
        }
        else
        {
            Assert.Equal([code], GraphQLClient.Codes(body));
            if (code == "validation_failed")
            {
                Assert.True(body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty("author", out _));
            }
            Assert.Equal(before, fixture.Server.CountRows("posts"));
        }
    }

    [Theory]
    [MemberData(nameof(UpdateCells))]
    public async Task Update_CallerAndPost_ChangedOrRestCode(string caller, string target, string? code)
    {
        var (ids, _, _) = await SeedAsync();

        var (_, body) = await GraphQLClient.PostAsync(fixture.Server, "mutation($id: ID!) { updatePost(id: $id, data: {title: \"changed\"}) { title version } }", new { id = ids[target] }, fixture.As(caller));

        var stored = (await fixture.ReadAsRootAsync("posts", ids[target]))!.Value;
        if (code is null)
        {
            Assert.Equal(2, body.GetProperty("data").GetProperty("updatePost").GetProperty("version").GetInt32());
            Assert.Equal("changed", stored.GetProperty("title").GetString());
        }
        else
        {
            Assert.Equal([code], GraphQLClient.Codes(body));
            Assert.Equal(1, stored.GetProperty("version").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(DeleteCells))]
    public async Task Delete_CallerAndPost_DeletedOrRestCode(string caller, string target, string? code)
    {
        var (ids, _, _) = await SeedAsync();

        var (_, body) = await GraphQLClient.PostAsync(fixture.Server, "mutation($id: ID!) { deletePost(id: $id) }", new { id = ids[target] }, fixture.As(caller));

        var stored = await fixture.ReadAsRootAsync("posts", ids[target]);
        if (code is null)
        {
            Assert.Equal(ids[target], body.GetProperty("data").GetProperty("deletePost").GetString());
            Assert.Null(stored);
        }
        else
        {
            Assert.Equal([code], GraphQLClient.Codes(body));
            Assert.NotNull(stored);
        }
    }
}

public sealed class GraphQLRulesMatrixTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : GraphQLRulesMatrixTests<Sqlite>(fixture);

public sealed class GraphQLRulesMatrixTestsOnPostgres(BlogRulesServer<Postgres> fixture) : GraphQLRulesMatrixTests<Postgres>(fixture);
