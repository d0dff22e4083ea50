using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary>Rules over the incoming values (<c>@body</c>) and the caller's roles (<c>@auth.roles</c>).</summary>
public sealed class BodyRulesServer<TDatabase> : RulesServer<TDatabase> where TDatabase : ITestDatabaseKind
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
              status: { type: select, values: [draft, published], default: draft }
              author: { type: relation, collection: users, required: true, default: "@auth.id", readonly: true }
            rules:
              list:   "true"
              view:   "true"
              create: '@auth.id != null && @body.title != "forbidden"'
              update: 'author = @auth.id && (@body.status != "published" || @auth.roles ?= "editor")'
              delete: '@auth.roles ?= "editor"'
        """;
}

public abstract class BodyRuleTests<TDatabase>(BodyRulesServer<TDatabase> fixture) : IClassFixture<BodyRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private async Task<string> AlicesDraftAsync() => await fixture.SeedAsync("posts", new { title = "draft", author = fixture.Alice.Id });

    [Fact]
    public async Task Create_BodyRuleHolds_201()
    {
        using var response = await fixture.Server.PostAsync("/api/posts", """{"title":"allowed"}""", fixture.Alice.Bearer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(fixture.Alice.Id, (await response.JsonAsync()).GetProperty("author").GetString());
    }

    [Fact]
    public async Task Create_BodyRuleFails_403AndNothingWritten()
    {
        var before = fixture.Server.CountRows("posts");

        using var response = await fixture.Server.PostAsync("/api/posts", """{"title":"forbidden"}""", fixture.Alice.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, fixture.Server.CountRows("posts"));
    }

    [Fact]
    public async Task Create_BodyRuleFailsInBatch_403AtItsIndexAndNothingWritten()
    {
        var before = fixture.Server.CountRows("posts");

        using var response = await fixture.Server.PostAsync("/api/batch", """
            {"requests": [
              {"method": "POST", "url": "/api/posts", "body": {"title": "fine"}},
              {"method": "POST", "url": "/api/posts", "body": {"title": "forbidden"}}
            ]}
            """, fixture.Alice.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Equal(before, fixture.Server.CountRows("posts"));
    }

    [Fact]
    public async Task Update_NotPublishing_200()
    {
        var id = await AlicesDraftAsync();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"draft","title":"renamed"}""", fixture.Alice.Bearer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("renamed", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Update_StatusAbsentFromBody_200()
    {
        var id = await AlicesDraftAsync();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"title":"renamed"}""", fixture.Alice.Bearer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Update_PublishingWithoutEditorRole_403AndNothingChanges()
    {
        var id = await AlicesDraftAsync();

        using var response = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"published","title":"renamed"}""", fixture.Alice.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var stored = (await fixture.ReadAsRootAsync("posts", id))!.Value;
        Assert.Equal("draft", stored.GetProperty("status").GetString());
        Assert.Equal("draft", stored.GetProperty("title").GetString());
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task RolesSetBySuperuser_TakeEffectOnTheNextRequestOfAnExistingToken()
    {
        // A user of its own: this test changes the user's roles.
        var carol = await AuthTestAccounts.UserAsync(fixture.Server, "users", "carol@example.com");
        var id = await fixture.SeedAsync("posts", new { title = "carol's", author = carol.Id });
        using var before = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"published"}""", carol.Bearer);
        using var deleteBefore = await fixture.Server.DeleteAsync($"/api/posts/{id}", carol.Bearer);
        await before.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await deleteBefore.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        using var grant = await fixture.Server.PatchAsync($"/api/users/{carol.Id}", """{"roles":["editor"]}""", fixture.Root.Bearer);
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        Assert.Equal("""["editor"]""", (await grant.JsonAsync()).GetProperty("roles").GetRawText());

        using var publish = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"published"}""", carol.Bearer);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.Equal("published", (await publish.JsonAsync()).GetProperty("status").GetString());

        // The role gives no one else's post: the update rule still needs the author.
        var alices = await AlicesDraftAsync();
        using var foreign = await fixture.Server.PatchAsync($"/api/posts/{alices}", """{"status":"published"}""", carol.Bearer);
        await foreign.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        using var revoke = await fixture.Server.PatchAsync($"/api/users/{carol.Id}", """{"roles":[]}""", fixture.Root.Bearer);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var unpublish = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"draft"}""", carol.Bearer);
        using var republish = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"published"}""", carol.Bearer);
        Assert.Equal(HttpStatusCode.OK, unpublish.StatusCode);
        await republish.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Delete_EditorRoleRule_OnlyEditorsDelete()
    {
        var dave = await AuthTestAccounts.UserAsync(fixture.Server, "users", "dave@example.com");
        using var grant = await fixture.Server.PatchAsync($"/api/users/{dave.Id}", """{"roles":["editor","other"]}""", fixture.Root.Bearer);
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        var id = await AlicesDraftAsync();

        using var byAuthor = await fixture.Server.DeleteAsync($"/api/posts/{id}", fixture.Alice.Bearer);
        using var byEditor = await fixture.Server.DeleteAsync($"/api/posts/{id}", dave.Bearer);

        await byAuthor.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.NoContent, byEditor.StatusCode);
        Assert.Null(await fixture.ReadAsRootAsync("posts", id));
    }

    [Fact]
    public async Task RolesOfAnApiKeyOwner_ApplyToTheKey()
    {
        var erin = await AuthTestAccounts.UserAsync(fixture.Server, "users", "erin@example.com");
        var (_, key) = (await fixture.Server.Runtime.Auth.ApiKeys.CreateAsync(Sharpbase.Auth.AccountKind.User, erin.Id, "erin's key", CancellationToken.None))!.Value;
        var id = await fixture.SeedAsync("posts", new { title = "erin's", author = erin.Id });
        using var before = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"published"}""", AuthTestAccounts.Bearer(key));
        await before.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        using var grant = await fixture.Server.PatchAsync($"/api/users/{erin.Id}", JsonSerializer.Serialize(new { roles = new[] { "editor" } }), fixture.Root.Bearer);
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        using var after = await fixture.Server.PatchAsync($"/api/posts/{id}", """{"status":"published"}""", AuthTestAccounts.Bearer(key));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

public sealed class BodyRuleTestsOnSqlite(BodyRulesServer<Sqlite> fixture) : BodyRuleTests<Sqlite>(fixture);

public sealed class BodyRuleTestsOnPostgres(BodyRulesServer<Postgres> fixture) : BodyRuleTests<Postgres>(fixture);
