using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary>
/// Expansions and client filters on the blog example never show or reveal rows the caller may not
/// view or list (users: `id = @auth.id`; tags: anyone).
/// </summary>
public abstract class RuleLeakTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private static string Tag() => Guid.NewGuid().ToString("N")[..12];

    private async Task<JsonElement> ListAsync(string query, Action<HttpRequestMessage>? caller)
    {
        using var response = await fixture.Server.GetAsync("/api/posts?" + query, caller);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Filter(string expression) => "filter=" + Uri.EscapeDataString(expression);

    private static List<string?> Titles(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();

    [Fact]
    public async Task ListExpandAuthor_AsOwner_ShowsOwnUserAndNullForOthers()
    {
        var tag = Tag();
        await fixture.SeedAsync("posts", new { title = $"{tag} a", status = "published", author = fixture.Alice.Id });
        await fixture.SeedAsync("posts", new { title = $"{tag} b", status = "published", author = fixture.Bob.Id });

        var page = await ListAsync($"{Filter($"title ~ \"{tag}\"")}&sort=title&expand=author", fixture.Alice.Bearer);

        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        var own = items[0].GetProperty("expand").GetProperty("author");
        Assert.Equal(fixture.Alice.Id, own.GetProperty("id").GetString());
        Assert.Equal("alice@example.com", own.GetProperty("email").GetString());
        // The relation value (an id the post carries) stays; the record behind it is not shown.
        Assert.Equal(fixture.Bob.Id, items[1].GetProperty("author").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("expand").GetProperty("author").ValueKind);
        Assert.DoesNotContain("bob@example.com", page.GetRawText(), StringComparison.Ordinal);
    }

    // GET /api/posts/{id} does not take expand yet (see the report), so one post is listed by id.
    [Theory]
    [InlineData("anonymous")]
    [InlineData("owner")]
    [InlineData("apikey")]
    public async Task ExpandAuthor_OthersPublishedPost_AuthorIsNull(string caller)
    {
        var id = await fixture.SeedAsync("posts", new { title = "public", status = "published", author = fixture.Bob.Id });

        var page = await ListAsync($"{Filter($"id = \"{id}\"")}&expand=author", fixture.As(caller));

        var post = page.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(fixture.Bob.Id, post.GetProperty("author").GetString());
        Assert.Equal(JsonValueKind.Null, post.GetProperty("expand").GetProperty("author").ValueKind);
        Assert.DoesNotContain("bob@example.com", page.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpandAuthor_AsTheAuthor_ShowsTheUser()
    {
        var id = await fixture.SeedAsync("posts", new { title = "public", status = "published", author = fixture.Bob.Id });

        var page = await ListAsync($"{Filter($"id = \"{id}\"")}&expand=author", fixture.Bob.Bearer);

        Assert.Equal("bob@example.com", page.GetProperty("items")[0].GetProperty("expand").GetProperty("author").GetProperty("email").GetString());
    }

    [Fact]
    public async Task ListExpandTags_Anonymous_ShowsEveryTag()
    {
        var tag = Tag();
        var dotnet = await fixture.SeedAsync("tags", new { name = $"{tag}-dotnet" });
        var sqlite = await fixture.SeedAsync("tags", new { name = $"{tag}-sqlite" });
        await fixture.SeedAsync("posts", new { title = $"{tag} tagged", status = "published", author = fixture.Bob.Id, tags = new[] { sqlite, dotnet } });

        var page = await ListAsync($"{Filter($"title ~ \"{tag}\"")}&expand=tags", null);

        var tags = page.GetProperty("items").EnumerateArray().Single().GetProperty("expand").GetProperty("tags").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal([$"{tag}-sqlite", $"{tag}-dotnet"], tags);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("owner")]
    [InlineData("apikey")]
    public async Task FilterThroughAuthor_CallerWhoCantListTheUser_FindsNothing(string caller)
    {
        var tag = Tag();
        await fixture.SeedAsync("posts", new { title = $"{tag} public", status = "published", author = fixture.Bob.Id });

        // The post itself is visible to everyone: only the path into users is refused.
        var plain = await ListAsync(Filter($"title ~ \"{tag}\""), fixture.As(caller));
        var byEmail = await ListAsync($"{Filter($"title ~ \"{tag}\" && author.email = \"bob@example.com\"")}&count=true", fixture.As(caller));
        var byGuess = await ListAsync(Filter($"title ~ \"{tag}\" && author.email ~ \"bob\""), fixture.As(caller));

        Assert.Single(Titles(plain));
        Assert.Empty(Titles(byEmail));
        Assert.Equal(0, byEmail.GetProperty("total").GetInt32());
        Assert.Empty(Titles(byGuess));
    }

    [Fact]
    public async Task FilterThroughAuthor_WrongAndRightGuess_AnswerTheSame()
    {
        var tag = Tag();
        await fixture.SeedAsync("posts", new { title = $"{tag} public", status = "published", author = fixture.Bob.Id });

        var right = await ListAsync(Filter($"title ~ \"{tag}\" && !(author.email = \"bob@example.com\")"), null);
        var wrong = await ListAsync(Filter($"title ~ \"{tag}\" && !(author.email = \"zed@example.com\")"), null);

        Assert.Equal(Titles(wrong), Titles(right));
    }

    [Fact]
    public async Task FilterThroughAuthor_AsThatAuthor_FindsThePosts()
    {
        var tag = Tag();
        await fixture.SeedAsync("posts", new { title = $"{tag} public", status = "published", author = fixture.Bob.Id });
        await fixture.SeedAsync("posts", new { title = $"{tag} draft", status = "draft", author = fixture.Bob.Id });

        var page = await ListAsync($"{Filter($"title ~ \"{tag}\" && author.email = \"bob@example.com\"")}&sort=title&count=true", fixture.Bob.Bearer);

        Assert.Equal([$"{tag} draft", $"{tag} public"], Titles(page));
        Assert.Equal(2, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task FilterThroughTags_Anonymous_Works()
    {
        var tag = Tag();
        var t = await fixture.SeedAsync("tags", new { name = $"{tag}-x" });
        await fixture.SeedAsync("posts", new { title = $"{tag} tagged", status = "published", author = fixture.Bob.Id, tags = new[] { t } });
        await fixture.SeedAsync("posts", new { title = $"{tag} untagged", status = "published", author = fixture.Bob.Id });

        var page = await ListAsync(Filter($"tags.name = \"{tag}-x\""), null);

        Assert.Equal([$"{tag} tagged"], Titles(page));
    }

    [Theory]
    [InlineData("anonymous", 1)]
    [InlineData("owner", 3)]
    [InlineData("other", 2)]
    [InlineData("superuser", 4)]
    [InlineData("apikey", 3)]
    public async Task Count_RespectsTheListRule(string caller, int expected)
    {
        var tag = Tag();
        await fixture.SeedAsync("posts", new { title = $"{tag} 1", status = "draft", author = fixture.Alice.Id });
        await fixture.SeedAsync("posts", new { title = $"{tag} 2", status = "draft", author = fixture.Alice.Id });
        await fixture.SeedAsync("posts", new { title = $"{tag} 3", status = "draft", author = fixture.Bob.Id });
        await fixture.SeedAsync("posts", new { title = $"{tag} 4", status = "published", author = fixture.Bob.Id });

        // A page of one: the total must still count every row the caller may list, and no more.
        var page = await ListAsync($"{Filter($"title ~ \"{tag}\"")}&count=true&limit=1", fixture.As(caller));

        Assert.Equal(expected, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListUsers_AsUser_OnlyThemselves()
    {
        using var response = await fixture.Server.GetAsync("/api/users?count=true", fixture.Alice.Bearer);

        var page = await response.JsonAsync();
        Assert.Equal([fixture.Alice.Id], page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }
}

/// <summary>A schema with hidden fields, on posts and on users, and a to-many relation into users.</summary>
public sealed class HiddenFieldsServer<TDatabase> : RulesServer<TDatabase> where TDatabase : ITestDatabaseKind
{
    protected override string? Schema => """
        collections:
          users:
            auth: true
            fields:
              name:  { type: text }
              phone: { type: text, hidden: true }
            rules: { list: "id = @auth.id", view: "id = @auth.id", update: "id = @auth.id" }
          posts:
            fields:
              title:    { type: text, required: true }
              secret:   { type: text, hidden: true }
              author:   { type: relation, collection: users, required: true, default: "@auth.id", readonly: true }
              watchers: { type: relation, collection: users, multiple: true }
            rules:
              list: "true"
              view: "true"
              create: "@auth.id != null"
              update: "author = @auth.id"
        """;
}

public abstract class HiddenFieldLeakTests<TDatabase>(HiddenFieldsServer<TDatabase> fixture) : IClassFixture<HiddenFieldsServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private const string SecretValue = "s3cr3t-launch-code";
    private const string PhoneValue = "+15550001234";

    private async Task<string> SeedAsync()
    {
        using var phone = await fixture.Server.PatchAsync($"/api/users/{fixture.Alice.Id}", JsonSerializer.Serialize(new { phone = PhoneValue }), fixture.Root.Bearer);
        Assert.Equal(HttpStatusCode.OK, phone.StatusCode);
        return await fixture.SeedAsync("posts", new { title = "classified", secret = SecretValue, author = fixture.Alice.Id, watchers = new[] { fixture.Alice.Id, fixture.Bob.Id } });
    }

    [Theory]
    [InlineData("filter", "secret = \"s3cr3t-launch-code\"")]
    [InlineData("filter", "secret ~ \"s3cr3t\"")]
    [InlineData("filter", "title = \"classified\" && secret != null")]
    [InlineData("filter", "author.phone = \"+15550001234\"")]
    [InlineData("filter", "watchers.phone ~ \"555\"")]
    [InlineData("sort", "secret")]
    [InlineData("sort", "-secret")]
    public async Task FilterOrSortOnHiddenField_400NotFilterableWithoutTheValue(string parameter, string value)
    {
        await SeedAsync();

        // Even a superuser: the field is not filterable for anyone, so there's nothing to probe.
        foreach (var caller in new[] { fixture.Alice.Bearer, fixture.Root.Bearer })
        {
            using var response = await fixture.Server.GetAsync($"/api/posts?{parameter}={Uri.EscapeDataString(value)}", caller);

            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "field_not_filterable");
            var text = problem.ToString();
            Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PhoneValue, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HiddenFields_NeverInRecordsListsOrExpansions()
    {
        var id = await SeedAsync();

        using var view = await fixture.Server.GetAsync($"/api/posts/{id}", fixture.Alice.Bearer);
        using var expanded = await fixture.Server.GetAsync("/api/posts?expand=author,watchers", fixture.Alice.Bearer);
        using var list = await fixture.Server.GetAsync("/api/posts?expand=author,watchers", fixture.Root.Bearer);
        using var user = await fixture.Server.GetAsync($"/api/users/{fixture.Alice.Id}", fixture.Alice.Bearer);
        using var fields = await fixture.Server.GetAsync("/api/posts?fields=id,secret", fixture.Alice.Bearer);

        foreach (var response in new[] { view, expanded, list, user })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PhoneValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"phone\"", text, StringComparison.Ordinal);
        }
        await fields.AssertProblemAsync(HttpStatusCode.BadRequest, "unknown_field");
    }

    [Fact]
    public async Task ExpandToManyIntoUsers_OnlyTheCallersOwnUser()
    {
        var id = await SeedAsync();

        var query = $"/api/posts?expand=watchers&filter={Uri.EscapeDataString($"id = \"{id}\"")}";

        using var asAlice = await fixture.Server.GetAsync(query, fixture.Alice.Bearer);
        using var anonymous = await fixture.Server.GetAsync(query, null);

        var post = (await asAlice.JsonAsync()).GetProperty("items")[0];
        Assert.Equal(2, post.GetProperty("watchers").GetArrayLength());
        Assert.Equal([fixture.Alice.Id], post.GetProperty("expand").GetProperty("watchers").EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.Empty((await anonymous.JsonAsync()).GetProperty("items")[0].GetProperty("expand").GetProperty("watchers").EnumerateArray());
    }

    [Fact]
    public async Task FilterThroughToManyIntoUsers_OnlyRowsTheCallerCanList()
    {
        await SeedAsync();

        var asAlice = await ListWatchedByAsync("bob@example.com", fixture.Alice.Bearer);
        var asBob = await ListWatchedByAsync("bob@example.com", fixture.Bob.Bearer);
        var anonymous = await ListWatchedByAsync("alice@example.com", null);

        Assert.Equal(0, asAlice);
        Assert.True(asBob > 0);
        Assert.Equal(0, anonymous);
    }

    private async Task<int> ListWatchedByAsync(string email, Action<HttpRequestMessage>? caller)
    {
        using var response = await fixture.Server.GetAsync($"/api/posts?count=true&filter={Uri.EscapeDataString($"watchers.email = \"{email}\"")}", caller);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("total").GetInt32();
    }
}

public sealed class RuleLeakTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : RuleLeakTests<Sqlite>(fixture);

public sealed class RuleLeakTestsOnPostgres(BlogRulesServer<Postgres> fixture) : RuleLeakTests<Postgres>(fixture);

public sealed class HiddenFieldLeakTestsOnSqlite(HiddenFieldsServer<Sqlite> fixture) : HiddenFieldLeakTests<Sqlite>(fixture);

public sealed class HiddenFieldLeakTestsOnPostgres(HiddenFieldsServer<Postgres> fixture) : HiddenFieldLeakTests<Postgres>(fixture);
