using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sharpbase.GraphQL;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Rules;

namespace Sharpbase.Tests.GraphQL;

/// <summary>
/// A document that passed the limits and validation is kept and not parsed or validated again; what
/// may differ between runs of it (variables, operation, caller, method) is still checked on every run.
/// </summary>
public abstract class GraphQLDocumentCacheTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private static string Unique(string text) => $"# {Guid.NewGuid():N}\n{text}";

    [Fact]
    public async Task RepeatedDocument_KeptOnceValidated()
    {
        var query = Unique("{ tags(limit: 1) { items { id } } }");
        var documents = fixture.Server.Services.GetRequiredService<GraphQLService>().Api(fixture.Server.Runtime).Documents;
        var before = documents.Count;

        await GraphQLClient.DataAsync(fixture.Server, query);
        await GraphQLClient.DataAsync(fixture.Server, query);

        Assert.Equal(before + 1, documents.Count);
        Assert.True(documents.TryGet(query, out _));
    }

    [Fact]
    public async Task RefusedDocument_NotKept()
    {
        var documents = fixture.Server.Services.GetRequiredService<GraphQLService>().Api(fixture.Server.Runtime).Documents;
        string[] refused = [Unique("{ nope }"), Unique("{ tags { items { id } "), Unique("{ __schema { types { name } } }")];

        foreach (var query in refused)
        {
            var (status, _) = await GraphQLClient.PostAsync(fixture.Server, query);
            Assert.NotEqual(HttpStatusCode.OK, status);
        }

        Assert.All(refused, query => Assert.False(documents.TryGet(query, out _)));
    }

    [Fact]
    public async Task CachedDocument_VariablesCoercedOnEveryRun()
    {
        var query = Unique("query($n: Int!) { tags(limit: $n) { items { id } } }");
        await fixture.SeedAsync("tags", new { name = Guid.NewGuid().ToString("N")[..12] });
        await fixture.SeedAsync("tags", new { name = Guid.NewGuid().ToString("N")[..12] });

        var one = await GraphQLClient.DataAsync(fixture.Server, query, new { n = 1 });
        var two = await GraphQLClient.DataAsync(fixture.Server, query, new { n = 2 });
        var (missingStatus, missing) = await GraphQLClient.PostAsync(fixture.Server, query);
        var (wrongStatus, wrong) = await GraphQLClient.PostAsync(fixture.Server, query, new { n = "two" });

        Assert.Single(one.GetProperty("tags").GetProperty("items").EnumerateArray());
        Assert.Equal(2, two.GetProperty("tags").GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingStatus);
        Assert.False(missing.TryGetProperty("data", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongStatus);
        Assert.False(wrong.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task CachedDocument_EachCallerSeesOnlyWhatTheRulesAllow()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var draft = await fixture.SeedAsync("posts", new { title = $"{tag} alice draft", status = "draft", author = fixture.Alice.Id });
        var query = Unique("query($f: String) { posts(filter: $f) { items { id } } }");
        var variables = new { f = $"title ~ \"{tag}\"" };

        var owner = await GraphQLClient.DataAsync(fixture.Server, query, variables, fixture.As("owner"));
        var other = await GraphQLClient.DataAsync(fixture.Server, query, variables, fixture.As("other"));
        var anonymous = await GraphQLClient.DataAsync(fixture.Server, query, variables);

        Assert.Equal([draft], Ids(owner));
        Assert.Empty(Ids(other));
        Assert.Empty(Ids(anonymous));
    }

    [Fact]
    public async Task CachedMutation_StillRefusedOverGet()
    {
        var name = Guid.NewGuid().ToString("N")[..12];
        var query = Unique("mutation($name: String!) { createTag(data: {name: $name}) { id } }");
        await GraphQLClient.DataAsync(fixture.Server, query, new { name }, fixture.Root.Bearer);
        var before = fixture.Server.CountRows("tags");

        using var response = await fixture.Server.GetAsync(
            "/graphql?query=" + Uri.EscapeDataString(query) + "&variables=" + Uri.EscapeDataString(JsonSerializer.Serialize(new { name = name + "-get" })), fixture.Root.Bearer);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(before, fixture.Server.CountRows("tags"));
    }

    [Fact]
    public async Task CachedDocument_OperationChosenOnEveryRun()
    {
        var query = Unique("query A { tags(limit: 1) { items { id } } } query B { users(limit: 1) { items { id } } }");

        var a = await GraphQLClient.PostOperationAsync(fixture.Server, query, "A", fixture.Root.Bearer);
        var b = await GraphQLClient.PostOperationAsync(fixture.Server, query, "B", fixture.Root.Bearer);
        var (missingStatus, _) = await GraphQLClient.PostOperationAsync(fixture.Server, query, "C", fixture.Root.Bearer);

        Assert.True(a.Body.GetProperty("data").TryGetProperty("tags", out _));
        Assert.True(b.Body.GetProperty("data").TryGetProperty("users", out _));
        Assert.NotEqual(HttpStatusCode.OK, missingStatus);
    }

    private static string[] Ids(JsonElement data) =>
        [.. data.GetProperty("posts").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}

public sealed class GraphQLDocumentCacheTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : GraphQLDocumentCacheTests<Sqlite>(fixture);

public sealed class GraphQLDocumentCacheTestsOnPostgres(BlogRulesServer<Postgres> fixture) : GraphQLDocumentCacheTests<Postgres>(fixture);
