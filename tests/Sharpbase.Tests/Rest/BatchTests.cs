using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class BatchTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Batch_AllValid_AppliesEveryWriteInOrder()
    {
        var owner = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var doomed = await _server.CreateAsync("owners", """{"name":"Zed"}""");
        const string newId = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80";
        var body = $$$"""
            {"requests": [
              {"method": "POST", "url": "/api/tags", "body": {"id": "{{{newId}}}", "name": "t1"}},
              {"method": "POST", "url": "/api/items", "body": {"title": "Lamp", "tags": ["{{{newId}}}"]}},
              {"method": "PATCH", "url": "/api/owners/{{{owner.GetProperty("id")}}}", "body": {"name": "Bea"}},
              {"method": "DELETE", "url": "/api/owners/{{{doomed.GetProperty("id")}}}"}
            ]}
            """;

        using var response = await _server.PostAsync("/api/batch", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.JsonAsync()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(new[] { 201, 201, 200, 204 }, results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal(newId, results[1].GetProperty("body").GetProperty("tags")[0].GetString());
        Assert.Equal("Bea", results[2].GetProperty("body").GetProperty("name").GetString());
        Assert.False(results[3].TryGetProperty("body", out _));
        Assert.Equal(1, _server.CountRows("owners"));
        Assert.Equal(1, _server.CountRows("items"));
    }

    [Fact]
    public async Task Batch_LaterRequestInvalid_RollsBackEverythingAndNamesTheIndex()
    {
        var owner = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var body = $$$"""
            {"requests": [
              {"method": "POST", "url": "/api/tags", "body": {"name": "t1"}},
              {"method": "PATCH", "url": "/api/owners/{{{owner.GetProperty("id")}}}", "body": {"name": "Bea"}},
              {"method": "POST", "url": "/api/items", "body": {"title": "x"}}
            ]}
            """;

        using var response = await _server.PostAsync("/api/batch", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(2, problem.GetProperty("index").GetInt32());
        Assert.NotEmpty(problem.Errors("title"));
        Assert.Equal(0, _server.CountRows("tags"));
        using var get = await _server.GetAsync($"/api/owners/{owner.GetProperty("id")}");
        Assert.Equal("Ann", (await get.JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Batch_UniqueConflictInsideBatch_Is409AndWritesNothing()
    {
        var body = """
            {"requests": [
              {"method": "POST", "url": "/api/tags", "body": {"name": "same"}},
              {"method": "POST", "url": "/api/tags", "body": {"name": "same"}}
            ]}
            """;

        using var response = await _server.PostAsync("/api/batch", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Equal(0, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Batch_MissingRecord_Is404WithIndex()
    {
        var body = """
            {"requests": [
              {"method": "POST", "url": "/api/tags", "body": {"name": "a"}},
              {"method": "DELETE", "url": "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80"}
            ]}
            """;

        using var response = await _server.PostAsync("/api/batch", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Equal(0, _server.CountRows("tags"));
    }

    public static TheoryData<string> MalformedBatches => new()
    {
        """{}""",
        """{"requests": []}""",
        """{"requests": {}}""",
        """{"requests": [], "extra": 1}""",
        """{"requests": [1]}""",
        """{"requests": [{"method": "GET", "url": "/api/tags"}]}""",
        """{"requests": [{"method": "POST", "url": "/api/nothing", "body": {}}]}""",
        """{"requests": [{"method": "POST", "url": "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", "body": {}}]}""",
        """{"requests": [{"method": "PATCH", "url": "/api/tags", "body": {}}]}""",
        """{"requests": [{"method": "POST", "url": "/api/tags"}]}""",
        """{"requests": [{"method": "DELETE", "url": "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", "body": {}}]}""",
        """{"requests": [{"method": "POST", "url": "/api/tags", "body": {}, "headers": {}}]}""",
        """{"requests": [{"method": "POST", "url": "http://evil/api/tags", "body": {}}]}""",
        """{"requests": [{"method": "POST", "url": "/api/../api/tags", "body": {}}]}""",
        """{"requests": [{"method": "POST", "url": "/api/batch", "body": {}}]}""",
    };

    [Theory]
    [MemberData(nameof(MalformedBatches))]
    public async Task Batch_MalformedEnvelope_Is400AndWritesNothing(string body)
    {
        using var response = await _server.PostAsync("/api/batch", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(0, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Batch_MoreThan100Requests_Is400()
    {
        var requests = string.Join(",", Enumerable.Range(0, 101).Select(i => $$$"""{"method":"POST","url":"/api/tags","body":{"name":"t{{{i}}}"}}"""));

        using var response = await _server.PostAsync("/api/batch", $$$"""{"requests":[{{{requests}}}]}""");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(0, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Batch_GetMethod_Is405()
    {
        using var response = await _server.GetAsync("/api/batch");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Batch_ResultsBodiesAreRecords()
    {
        using var response = await _server.PostAsync("/api/batch", """{"requests":[{"method":"POST","url":"/api/tags","body":{"name":"n"}}]}""");

        var record = (await response.JsonAsync()).GetProperty("results")[0].GetProperty("body");
        Assert.Equal(JsonValueKind.String, record.GetProperty("id").ValueKind);
        Assert.Equal(1, record.GetProperty("version").GetInt32());
    }
}

public sealed class BatchTestsOnSqlite : BatchTests<Sqlite>;

public sealed class BatchTestsOnPostgres : BatchTests<Postgres>;
