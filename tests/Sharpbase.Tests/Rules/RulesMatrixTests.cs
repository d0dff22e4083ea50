using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary>
/// The blog example's rules, cell by cell: every action × every kind of caller × three posts seen
/// from the owner's (alice's) side: her own draft, bob's draft and bob's published post.
/// The expected table is written out by hand; it is not derived from the rules.
/// </summary>
public abstract class RulesMatrixTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private const string OwnDraft = "own draft";
    private const string OthersDraft = "other's draft";
    private const string OthersPublished = "other's published";

    /// <summary>List: does the post appear in GET /api/posts (always 200)?</summary>
    public static TheoryData<string, string, bool> ListCells => new()
    {
        { "anonymous", OwnDraft, false }, { "anonymous", OthersDraft, false }, { "anonymous", OthersPublished, true },
        { "owner", OwnDraft, true }, { "owner", OthersDraft, false }, { "owner", OthersPublished, true },
        { "other", OwnDraft, false }, { "other", OthersDraft, true }, { "other", OthersPublished, true },
        { "superuser", OwnDraft, true }, { "superuser", OthersDraft, true }, { "superuser", OthersPublished, true },
        { "apikey", OwnDraft, true }, { "apikey", OthersDraft, false }, { "apikey", OthersPublished, true },
    };

    /// <summary>View: GET /api/posts/{id} → 200 with the record, or 404 exactly like a missing id.</summary>
    public static TheoryData<string, string, int> ViewCells => new()
    {
        { "anonymous", OwnDraft, 404 }, { "anonymous", OthersDraft, 404 }, { "anonymous", OthersPublished, 200 },
        { "owner", OwnDraft, 200 }, { "owner", OthersDraft, 404 }, { "owner", OthersPublished, 200 },
        { "other", OwnDraft, 404 }, { "other", OthersDraft, 200 }, { "other", OthersPublished, 200 },
        { "superuser", OwnDraft, 200 }, { "superuser", OthersDraft, 200 }, { "superuser", OthersPublished, 200 },
        { "apikey", OwnDraft, 200 }, { "apikey", OthersDraft, 404 }, { "apikey", OthersPublished, 200 },
    };

    /// <summary>
    /// Create: POST /api/posts of a draft without author (own draft), and of a draft / a published post
    /// naming bob as author. `author` is readonly (only a superuser sets it); its default is @auth.id.
    /// Anonymous callers fail the create rule '@auth.id != null', which is about the caller only and so
    /// is decided before validation: 403.
    /// A superuser is no user of `users`, so their own id is no valid author: 422 too.
    /// The last column is the field the 422 names.
    /// </summary>
    public static TheoryData<string, string, int, string?> CreateCells => new()
    {
        { "anonymous", OwnDraft, 403, null }, { "anonymous", OthersDraft, 403, null }, { "anonymous", OthersPublished, 403, null },
        { "owner", OwnDraft, 201, null }, { "owner", OthersDraft, 422, "author" }, { "owner", OthersPublished, 422, "author" },
        { "other", OwnDraft, 201, null }, { "other", OthersDraft, 422, "author" }, { "other", OthersPublished, 422, "author" },
        { "superuser", OwnDraft, 422, "author" }, { "superuser", OthersDraft, 201, null }, { "superuser", OthersPublished, 201, null },
        { "apikey", OwnDraft, 201, null }, { "apikey", OthersDraft, 422, "author" }, { "apikey", OthersPublished, 422, "author" },
    };

    /// <summary>Update: PATCH {"title": …} → 200, 404 (can't view it) or 403 (can view, may not change).</summary>
    public static TheoryData<string, string, int> UpdateCells => new()
    {
        { "anonymous", OwnDraft, 404 }, { "anonymous", OthersDraft, 404 }, { "anonymous", OthersPublished, 403 },
        { "owner", OwnDraft, 200 }, { "owner", OthersDraft, 404 }, { "owner", OthersPublished, 403 },
        { "other", OwnDraft, 404 }, { "other", OthersDraft, 200 }, { "other", OthersPublished, 200 },
        { "superuser", OwnDraft, 200 }, { "superuser", OthersDraft, 200 }, { "superuser", OthersPublished, 200 },
        { "apikey", OwnDraft, 200 }, { "apikey", OthersDraft, 404 }, { "apikey", OthersPublished, 403 },
    };

    /// <summary>Delete: DELETE → 204, 404 (can't view it) or 403 (can view, may not delete).</summary>
    public static TheoryData<string, string, int> DeleteCells => new()
    {
        { "anonymous", OwnDraft, 404 }, { "anonymous", OthersDraft, 404 }, { "anonymous", OthersPublished, 403 },
        { "owner", OwnDraft, 204 }, { "owner", OthersDraft, 404 }, { "owner", OthersPublished, 403 },
        { "other", OwnDraft, 404 }, { "other", OthersDraft, 204 }, { "other", OthersPublished, 204 },
        { "superuser", OwnDraft, 204 }, { "superuser", OthersDraft, 204 }, { "superuser", OthersPublished, 204 },
        { "apikey", OwnDraft, 204 }, { "apikey", OthersDraft, 404 }, { "apikey", OthersPublished, 403 },
    };

    /// <summary>Fresh posts for one cell, with titles unique to it: alice's draft, bob's draft, bob's published post.</summary>
    private async Task<(Dictionary<string, string> Ids, Dictionary<string, string> Titles)> SeedAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var titles = new Dictionary<string, string>
        {
            [OwnDraft] = $"{tag} alice draft",
            [OthersDraft] = $"{tag} bob draft",
            [OthersPublished] = $"{tag} bob published",
        };
        var ids = new Dictionary<string, string>
        {
            [OwnDraft] = await fixture.SeedAsync("posts", new { title = titles[OwnDraft], status = "draft", author = fixture.Alice.Id }),
            [OthersDraft] = await fixture.SeedAsync("posts", new { title = titles[OthersDraft], status = "draft", author = fixture.Bob.Id }),
            [OthersPublished] = await fixture.SeedAsync("posts", new { title = titles[OthersPublished], status = "published", author = fixture.Bob.Id }),
        };
        return (ids, titles);
    }

    [Theory]
    [MemberData(nameof(ListCells))]
    public async Task List_CallerAndPost_ShownOnlyWhereTheListRuleHolds(string caller, string target, bool shown)
    {
        var (_, titles) = await SeedAsync();
        var tag = titles[target][..12];

        using var response = await fixture.Server.GetAsync($"/api/posts?filter={Uri.EscapeDataString($"title ~ \"{tag}\"")}&count=true&limit=100", fixture.As(caller));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var listed = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();
        Assert.Equal(shown, listed.Contains(titles[target]));
        // The total counts exactly the rows listed: the rule is in the COUNT too.
        Assert.Equal(listed.Count, body.GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(ViewCells))]
    public async Task View_CallerAndPost_RecordOr404(string caller, string target, int status)
    {
        var (ids, titles) = await SeedAsync();

        using var response = await fixture.Server.GetAsync($"/api/posts/{ids[target]}", fixture.As(caller));

        if (status == 200)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var record = await response.JsonAsync();
            Assert.Equal(ids[target], record.GetProperty("id").GetString());
            Assert.Equal(titles[target], record.GetProperty("title").GetString());
        }
        else
        {
            var problem = await response.AssertProblemAsync((HttpStatusCode)status, "not_found");
            Assert.DoesNotContain(titles[target], problem.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CreateCells))]
    public async Task Create_CallerAndPost_CreatedOrRefusedWithNothingWritten(string caller, string target, int status, string? field)
    {
        var title = $"{Guid.NewGuid():N} new";
        object body = target switch
        {
            OwnDraft => new { title, status = "draft" },
            OthersDraft => new { title, status = "draft", author = fixture.Bob.Id },
            _ => new { title, status = "published", author = fixture.Bob.Id },
        };
        var before = fixture.Server.CountRows("posts");

        using var response = await fixture.Server.PostAsync("/api/posts", JsonSerializer.Serialize(body), fixture.As(caller));

        if (status == 201)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var record = await response.JsonAsync();
            Assert.Equal(title, record.GetProperty("title").GetString());
            var author = target == OwnDraft ? (caller == "other" ? fixture.Bob.Id : fixture.Alice.Id) : fixture.Bob.Id;
            Assert.Equal(author, record.GetProperty("author").GetString());
            Assert.Equal(before + 1, fixture.Server.CountRows("posts"));
        }
        else
        {
            var problem = await response.AssertProblemAsync((HttpStatusCode)status, status == 422 ? "validation_failed" : "forbidden");
            if (field is not null)
            {
                Assert.NotEmpty(problem.Errors(field));
            }
            Assert.Equal(before, fixture.Server.CountRows("posts"));
        }
    }

    [Theory]
    [MemberData(nameof(UpdateCells))]
    public async Task Update_CallerAndPost_ChangedOrRefusedWithNothingWritten(string caller, string target, int status)
    {
        var (ids, titles) = await SeedAsync();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{ids[target]}", """{"title":"changed"}""", fixture.As(caller));

        var stored = (await fixture.ReadAsRootAsync("posts", ids[target]))!.Value;
        if (status == 200)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("changed", (await response.JsonAsync()).GetProperty("title").GetString());
            Assert.Equal("changed", stored.GetProperty("title").GetString());
            Assert.Equal(2, stored.GetProperty("version").GetInt32());
        }
        else
        {
            await response.AssertProblemAsync((HttpStatusCode)status, status == 404 ? "not_found" : "forbidden");
            Assert.Equal(titles[target], stored.GetProperty("title").GetString());
            Assert.Equal(1, stored.GetProperty("version").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(DeleteCells))]
    public async Task Delete_CallerAndPost_DeletedOrRefusedWithNothingWritten(string caller, string target, int status)
    {
        var (ids, titles) = await SeedAsync();

        using var response = await fixture.Server.DeleteAsync($"/api/posts/{ids[target]}", fixture.As(caller));

        var stored = await fixture.ReadAsRootAsync("posts", ids[target]);
        if (status == 204)
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Null(stored);
        }
        else
        {
            await response.AssertProblemAsync((HttpStatusCode)status, status == 404 ? "not_found" : "forbidden");
            Assert.Equal(titles[target], stored!.Value.GetProperty("title").GetString());
        }
        // The other two posts of the cell are untouched whatever happened.
        foreach (var other in ids.Keys.Where(k => k != target))
        {
            Assert.NotNull(await fixture.ReadAsRootAsync("posts", ids[other]));
        }
    }
}

public sealed class RulesMatrixTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : RulesMatrixTests<Sqlite>(fixture);

public sealed class RulesMatrixTestsOnPostgres(BlogRulesServer<Postgres> fixture) : RulesMatrixTests<Postgres>(fixture);
