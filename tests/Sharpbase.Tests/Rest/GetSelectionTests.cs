using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class GetSelectionTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_FieldsAndExpand_ReturnOnlyThoseFieldsAndTheRelatedRecords()
    {
        var owner = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var tag = await _server.CreateAsync("tags", """{"name":"x"}""");
        var item = await _server.CreateAsync("items", $$"""{"title":"Lamp","owner":"{{owner.GetProperty("id")}}","tags":["{{tag.GetProperty("id")}}"]}""");
        var url = $"/api/items/{item.GetProperty("id")}";

        using var selected = await _server.GetAsync(url + "?fields=title,owner&expand=owner,tags");
        var body = await selected.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, selected.StatusCode);
        Assert.Equal("\"1\"", selected.Headers.ETag?.Tag);
        Assert.Equal(new[] { "title", "owner", "expand" }, body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Ann", body.GetProperty("expand").GetProperty("owner").GetProperty("name").GetString());
        Assert.Equal("x", body.GetProperty("expand").GetProperty("tags")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("?fields=nope", "unknown_field")]
    [InlineData("?expand=title", "unknown_field")]
    [InlineData("?filter=x", "bad_request")]
    [InlineData("?fields=title&fields=code", "bad_request")]
    public async Task Get_BadParameters_Are400(string query, string code)
    {
        var item = await _server.CreateAsync("items", """{"title":"Lamp"}""");

        using var response = await _server.GetAsync($"/api/items/{item.GetProperty("id")}{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Get_ExpandOfMissingRecord_Is404()
    {
        using var response = await _server.GetAsync("/api/items/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80?expand=owner");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(JsonValueKind.Object, (await response.JsonAsync()).ValueKind);
    }
}

public sealed class GetSelectionTestsOnSqlite : GetSelectionTests<Sqlite>;

public sealed class GetSelectionTestsOnPostgres : GetSelectionTests<Postgres>;
