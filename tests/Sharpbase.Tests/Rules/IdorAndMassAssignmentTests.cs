using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary>
/// Someone else's record by id looks exactly like a missing one; fields a client may not set are
/// refused by name and nothing is written.
/// </summary>
public abstract class IdorAndMassAssignmentTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private const string MissingId = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80";

    private Task<string> BobsDraftAsync() => fixture.SeedAsync("posts", new { title = "bob's secret draft", status = "draft", author = fixture.Bob.Id });

    private Task<string> AlicesDraftAsync() => fixture.SeedAsync("posts", new { title = "alice's draft", status = "draft", author = fixture.Alice.Id });

    /// <summary>Status, headers that matter and the problem body, without what differs per request (trace id, instance, the id itself).</summary>
    private static async Task<string> ShapeAsync(HttpResponseMessage response, string id)
    {
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.True(problem.Remove("trace_id"));
        Assert.True(problem.Remove("instance"));
        var normalized = problem.ToJsonString().Replace(id, "{id}", StringComparison.Ordinal);
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} etag={response.Headers.ETag} {normalized}";
    }

    public static TheoryData<string, string?, string?> IdorRequests => new()
    {
        { "GET", null, null },
        { "GET", "If-None-Match", "\"1\"" },
        { "GET", "If-None-Match", "*" },
        { "PATCH", null, null },
        { "PATCH", "If-Match", "\"1\"" },
        { "PATCH", "If-Match", "\"7\"" },
        { "DELETE", null, null },
        { "DELETE", "If-Match", "\"1\"" },
        { "DELETE", "If-Match", "\"7\"" },
    };

    [Theory]
    [MemberData(nameof(IdorRequests))]
    public async Task OthersDraftById_AnyMethodAndPrecondition_LooksExactlyLikeAMissingId(string method, string? header, string? value)
    {
        var id = await BobsDraftAsync();
        void Configure(HttpRequestMessage request)
        {
            fixture.Alice.Bearer(request);
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
        }
        var body = method == "PATCH" ? """{"title":"pwned"}""" : null;

        using var existing = await fixture.Server.SendAsync(new HttpMethod(method), $"/api/posts/{id}", body, Configure);
        using var missing = await fixture.Server.SendAsync(new HttpMethod(method), $"/api/posts/{MissingId}", body, Configure);

        await existing.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(await ShapeAsync(missing, MissingId), await ShapeAsync(existing, id));
        var stored = (await fixture.ReadAsRootAsync("posts", id))!.Value;
        Assert.Equal("bob's secret draft", stored.GetProperty("title").GetString());
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("PATCH", """, "body": {"title": "pwned"}""")]
    [InlineData("DELETE", "")]
    public async Task OthersDraftInBatch_LooksExactlyLikeAMissingIdAndWritesNothing(string method, string extra)
    {
        var id = await BobsDraftAsync();
        var mine = await AlicesDraftAsync();
        string Batch(string target) => $$$"""
            {"requests": [
              {"method": "PATCH", "url": "/api/posts/{{{mine}}}", "body": {"title": "mine, changed"}},
              {"method": "{{{method}}}", "url": "/api/posts/{{{target}}}"{{{extra}}}}
            ]}
            """;

        using var existing = await fixture.Server.PostAsync("/api/batch", Batch(id), fixture.Alice.Bearer);
        using var missing = await fixture.Server.PostAsync("/api/batch", Batch(MissingId), fixture.Alice.Bearer);

        var problem = await existing.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Equal(await ShapeAsync(missing, MissingId), await ShapeAsync(existing, id));
        Assert.Equal("bob's secret draft", (await fixture.ReadAsRootAsync("posts", id))!.Value.GetProperty("title").GetString());
        Assert.Equal("alice's draft", (await fixture.ReadAsRootAsync("posts", mine))!.Value.GetProperty("title").GetString());
    }

    [Fact]
    public async Task OthersUserRecordById_LooksExactlyLikeAMissingId()
    {
        using var existing = await fixture.Server.GetAsync($"/api/users/{fixture.Bob.Id}", fixture.Alice.Bearer);
        using var missing = await fixture.Server.GetAsync($"/api/users/{MissingId}", fixture.Alice.Bearer);
        using var patch = await fixture.Server.PatchAsync($"/api/users/{fixture.Bob.Id}", """{"name":"pwned"}""", fixture.Alice.Bearer);
        using var patchMissing = await fixture.Server.PatchAsync($"/api/users/{MissingId}", """{"name":"pwned"}""", fixture.Alice.Bearer);

        await existing.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(await ShapeAsync(missing, MissingId), await ShapeAsync(existing, fixture.Bob.Id));
        Assert.Equal(await ShapeAsync(patchMissing, MissingId), await ShapeAsync(patch, fixture.Bob.Id));
        Assert.NotEqual("pwned", (await fixture.ReadAsRootAsync("users", fixture.Bob.Id))!.Value.GetProperty("name").GetString());
    }

    public static TheoryData<string, string> PostCreateAssignments => new()
    {
        { "author", """{"title":"t","author":"{bob}"}""" },
        { "author", """{"title":"t","author":"{alice}"}""" },
        { "created_at", """{"title":"t","created_at":"2000-01-01T00:00:00Z"}""" },
        { "updated_at", """{"title":"t","updated_at":"2000-01-01T00:00:00Z"}""" },
        { "version", """{"title":"t","version":99}""" },
    };

    [Theory]
    [MemberData(nameof(PostCreateAssignments))]
    public async Task CreatePost_ProtectedField_422NamingItAndNothingWritten(string field, string body)
    {
        var before = fixture.Server.CountRows("posts");

        using var response = await fixture.Server.PostAsync("/api/posts",
            body.Replace("{bob}", fixture.Bob.Id, StringComparison.Ordinal).Replace("{alice}", fixture.Alice.Id, StringComparison.Ordinal), fixture.Alice.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is read-only"], problem.Errors(field));
        Assert.Equal(before, fixture.Server.CountRows("posts"));
    }

    public static TheoryData<string, string> PostPatchAssignments => new()
    {
        { "author", """{"title":"changed","author":"{bob}"}""" },
        { "id", """{"title":"changed","id":"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f81"}""" },
        { "created_at", """{"title":"changed","created_at":"2000-01-01T00:00:00Z"}""" },
        { "updated_at", """{"title":"changed","updated_at":"2000-01-01T00:00:00Z"}""" },
        { "version", """{"title":"changed","version":99}""" },
    };

    [Theory]
    [MemberData(nameof(PostPatchAssignments))]
    public async Task PatchOwnPost_ProtectedField_422NamingItAndNothingWritten(string field, string body)
    {
        var id = await AlicesDraftAsync();
        var before = (await fixture.ReadAsRootAsync("posts", id))!.Value.ToString();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", body.Replace("{bob}", fixture.Bob.Id, StringComparison.Ordinal), fixture.Alice.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is read-only"], problem.Errors(field));
        Assert.Equal(before, (await fixture.ReadAsRootAsync("posts", id))!.Value.ToString());
    }

    public static TheoryData<string, string> UserPatchAssignments => new()
    {
        { "roles", """{"name":"A","roles":["admin"]}""" },
        { "verified", """{"name":"A","verified":true}""" },
        { "disabled", """{"name":"A","disabled":false}""" },
        { "email", """{"name":"A","email":"mallory@example.com"}""" },
        { "id", """{"name":"A","id":"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f81"}""" },
        { "created_at", """{"name":"A","created_at":"2000-01-01T00:00:00Z"}""" },
        { "version", """{"name":"A","version":99}""" },
    };

    [Theory]
    [MemberData(nameof(UserPatchAssignments))]
    public async Task PatchOwnUser_BuiltInOrSystemField_422NamingItAndNothingWritten(string field, string body)
    {
        var before = (await fixture.ReadAsRootAsync("users", fixture.Alice.Id))!.Value.ToString();

        using var response = await fixture.Server.PatchAsync($"/api/users/{fixture.Alice.Id}", body, fixture.Alice.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is read-only"], problem.Errors(field));
        Assert.Equal(before, (await fixture.ReadAsRootAsync("users", fixture.Alice.Id))!.Value.ToString());
    }

    [Fact]
    public async Task PatchOwnUser_DeclaredField_200AndRolesUntouched()
    {
        using var response = await fixture.Server.PatchAsync($"/api/users/{fixture.Alice.Id}", """{"avatar":"https://example.com/a.png"}""", fixture.Alice.Bearer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.JsonAsync();
        Assert.Equal("https://example.com/a.png", user.GetProperty("avatar").GetString());
        Assert.Equal("[]", user.GetProperty("roles").GetRawText());
        Assert.False(user.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task CreateUser_AsUser_403AndNothingWritten()
    {
        var before = fixture.Server.CountRows("users");

        using var response = await fixture.Server.PostAsync("/api/users", """{"email":"eve@example.com","roles":["admin"]}""", fixture.Alice.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, fixture.Server.CountRows("users"));
    }

    [Fact]
    public async Task CreatePost_NoAuthor_DefaultFillsTheCallersId()
    {
        using var response = await fixture.Server.PostAsync("/api/posts", """{"title":"by default"}""", fixture.Bob.Bearer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var post = await response.JsonAsync();
        Assert.Equal(fixture.Bob.Id, post.GetProperty("author").GetString());
        Assert.Equal("draft", post.GetProperty("status").GetString());
        using var mine = await fixture.Server.GetAsync($"/api/posts/{post.GetProperty("id").GetString()}", fixture.Bob.Bearer);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }
}

/// <summary>A schema where `author` is writable, so only the update and create rules stand between a user and someone else's name on a post.</summary>
public sealed class WritableAuthorServer<TDatabase> : RulesServer<TDatabase> where TDatabase : ITestDatabaseKind
{
    protected override string? Schema => """
        collections:
          users:
            auth: true
            fields:
              name: { type: text }
            rules: { list: "id = @auth.id", view: "id = @auth.id", update: "id = @auth.id" }
          posts:
            fields:
              title:  { type: text, required: true }
              author: { type: relation, collection: users, required: true, default: "@auth.id" }
            rules:
              list:   "true"
              view:   "true"
              create: "author = @auth.id"
              update: "author = @auth.id"
              delete: "author = @auth.id"
        """;
}

public abstract class OwnershipTransferTests<TDatabase>(WritableAuthorServer<TDatabase> fixture) : IClassFixture<WritableAuthorServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    [Fact]
    public async Task Patch_AuthorToVictim_403AndNothingChanges()
    {
        var id = await fixture.SeedAsync("posts", new { title = "mine", author = fixture.Alice.Id });
        var before = (await fixture.ReadAsRootAsync("posts", id))!.Value.ToString();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", JsonSerializer.Serialize(new { title = "yours now", author = fixture.Bob.Id }), fixture.Alice.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, (await fixture.ReadAsRootAsync("posts", id))!.Value.ToString());
    }

    [Fact]
    public async Task Patch_OthersPostToSelf_403AndNothingChanges()
    {
        var id = await fixture.SeedAsync("posts", new { title = "bob's", author = fixture.Bob.Id });
        var before = (await fixture.ReadAsRootAsync("posts", id))!.Value.ToString();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", JsonSerializer.Serialize(new { author = fixture.Alice.Id }), fixture.Alice.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, (await fixture.ReadAsRootAsync("posts", id))!.Value.ToString());
    }

    [Fact]
    public async Task Patch_OwnPostKeepingAuthor_200()
    {
        var id = await fixture.SeedAsync("posts", new { title = "mine", author = fixture.Alice.Id });

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", JsonSerializer.Serialize(new { title = "still mine", author = fixture.Alice.Id }), fixture.Alice.Bearer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("still mine", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Create_InTheVictimsName_403AndNothingWritten()
    {
        var before = fixture.Server.CountRows("posts");

        using var response = await fixture.Server.PostAsync("/api/posts", JsonSerializer.Serialize(new { title = "forged", author = fixture.Bob.Id }), fixture.Alice.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, fixture.Server.CountRows("posts"));
    }

    [Fact]
    public async Task Batch_TransferAmongValidWrites_403AndTheWholeBatchRollsBack()
    {
        var id = await fixture.SeedAsync("posts", new { title = "mine", author = fixture.Alice.Id });
        var before = fixture.Server.CountRows("posts");
        var body = $$$"""
            {"requests": [
              {"method": "POST", "url": "/api/posts", "body": {"title": "fine"}},
              {"method": "PATCH", "url": "/api/posts/{{{id}}}", "body": {"author": "{{{fixture.Bob.Id}}}"}}
            ]}
            """;

        using var response = await fixture.Server.PostAsync("/api/batch", body, fixture.Alice.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Equal(before, fixture.Server.CountRows("posts"));
        Assert.Equal(fixture.Alice.Id, (await fixture.ReadAsRootAsync("posts", id))!.Value.GetProperty("author").GetString());
    }
}

public sealed class IdorAndMassAssignmentTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : IdorAndMassAssignmentTests<Sqlite>(fixture);

public sealed class IdorAndMassAssignmentTestsOnPostgres(BlogRulesServer<Postgres> fixture) : IdorAndMassAssignmentTests<Postgres>(fixture);

public sealed class OwnershipTransferTestsOnSqlite(WritableAuthorServer<Sqlite> fixture) : OwnershipTransferTests<Sqlite>(fixture);

public sealed class OwnershipTransferTestsOnPostgres(WritableAuthorServer<Postgres> fixture) : OwnershipTransferTests<Postgres>(fixture);
