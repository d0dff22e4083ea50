using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class CrudTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_ValidBody_Returns201WithLocationETagAndDefaults()
    {
        using var response = await _server.PostAsync("/api/items", """{"title":"Lamp","price":12.5}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var record = await response.JsonAsync();
        var id = record.GetProperty("id").GetString()!;
        Assert.Equal($"/api/items/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(7, record.GetProperty("count").GetInt32());
        Assert.True(record.GetProperty("active").GetBoolean());
        Assert.Equal("red", record.GetProperty("color").GetString());
        Assert.Equal("fixed", record.GetProperty("stamp").GetString());
        Assert.Equal(1, record.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Array, record.GetProperty("tags").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("owner").ValueKind);
        Assert.False(record.TryGetProperty("secret", out _));
        Assert.EndsWith("Z", record.GetProperty("created_at").GetString());
        Assert.EndsWith("Z", record.GetProperty("seen_at").GetString());
        Assert.Equal('7', id[14]);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Create_ClientSuppliedId_IsKeptAndDuplicateIs409()
    {
        const string id = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80";

        var first = await _server.CreateAsync("owners", $$"""{"id":"{{id}}","name":"Ann"}""");
        using var second = await _server.PostAsync("/api/owners", $$"""{"id":"{{id}}","name":"Bob"}""");

        Assert.Equal(id, first.GetProperty("id").GetString());
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(1, _server.CountRows("owners"));
    }

    [Fact]
    public async Task Get_ExistingRecord_Returns200WithETag_AndIfNoneMatchGives304()
    {
        var created = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var id = created.GetProperty("id").GetString();

        using var get = await _server.GetAsync($"/api/owners/{id}");
        using var revalidate = await _server.GetAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"1\""));
        using var stale = await _server.GetAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"7\""));
        using var weak = await _server.GetAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", "W/\"1\""));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("\"1\"", get.Headers.ETag?.Tag);
        Assert.Equal("Ann", (await get.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotModified, revalidate.StatusCode);
        Assert.Equal("\"1\"", revalidate.Headers.ETag?.Tag);
        Assert.Empty(await revalidate.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
    }

    [Theory]
    [InlineData("/api/owners/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80")]
    [InlineData("/api/owners/not-a-uuid")]
    [InlineData("/api/owners/0190A5B2-7C3E-7DEF-8A12-3B4C5D6E7F80")]
    [InlineData("/api/nothing/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80")]
    [InlineData("/api/nothing")]
    [InlineData("/nowhere")]
    public async Task Get_Missing_Returns404Problem(string url)
    {
        using var response = await _server.GetAsync(url);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Patch_MergePatch_ChangesOnlyGivenFieldsAndBumpsVersion()
    {
        var created = await _server.CreateAsync("items", """{"title":"Lamp","price":12.5,"meta":{"a":1,"b":{"c":2}}}""");
        var id = created.GetProperty("id").GetString();

        using var response = await _server.PatchAsync($"/api/items/{id}", """{"price":null,"count":3,"meta":{"b":{"c":null,"d":4},"e":[1]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.JsonAsync();
        Assert.Equal("Lamp", record.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("price").ValueKind);
        Assert.Equal(3, record.GetProperty("count").GetInt32());
        Assert.Equal(2, record.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal("""{"a":1,"b":{"d":4},"e":[1]}""", record.GetProperty("meta").GetRawText());
        Assert.Equal(created.GetProperty("created_at").GetString(), record.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Patch_IfMatch_StaleIs412AndCurrentSucceeds()
    {
        var created = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var id = created.GetProperty("id").GetString();

        using var stale = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Bob"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"5\""));
        using var weak = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Bob"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"1\""));
        using var current = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Cid"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
        using var star = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Dee"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "*"));

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        await weak.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(HttpStatusCode.OK, star.StatusCode);
        Assert.Equal("Dee", (await star.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal(3, (await star.JsonAsync()).GetProperty("version").GetInt32());
    }

    // RFC 9110 lets a server refuse a malformed field with 400; an If-Match without a valid strong
    // tag is instead a condition no version meets, so it fails safe as 412 and nothing is written.
    // RFC 9110 §13.1.2: on a write, If-None-Match fails (412) when the record is at a version it names
    // (weakly compared) or, with *, whenever the record exists. A missing record is 404 either way.
    [Theory]
    [InlineData("If-Match", "garbage")]
    [InlineData("If-Match", "1")]
    [InlineData("If-Match", "\"1")]
    [InlineData("If-Match", "\"one\"")]
    [InlineData("If-None-Match", "*")]
    [InlineData("If-None-Match", "\"1\"")]
    [InlineData("If-None-Match", "W/\"1\"")]
    [InlineData("If-None-Match", "\"7\", \"1\"")]
    public async Task PatchAndDelete_PreconditionThatFails_412AndNothingChanged(string header, string value)
    {
        var created = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var id = created.GetProperty("id").GetString();

        using var patch = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Bob"}""", r => r.Headers.TryAddWithoutValidation(header, value));
        using var delete = await _server.DeleteAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation(header, value));
        using var get = await _server.GetAsync($"/api/owners/{id}");
        using var missing = await _server.PatchAsync($"/api/owners/{Guid.CreateVersion7()}", """{"name":"Bob"}""", r => r.Headers.TryAddWithoutValidation(header, value));

        await patch.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        await delete.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        var record = await get.JsonAsync();
        Assert.Equal("Ann", record.GetProperty("name").GetString());
        Assert.Equal(1, record.GetProperty("version").GetInt32());
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Delete_Existing_Returns204ThenGetIs404_AndStaleIfMatchIs412()
    {
        var created = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var id = created.GetProperty("id").GetString();

        using var stale = await _server.DeleteAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation("If-Match", "\"2\""));
        using var deleted = await _server.DeleteAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
        using var get = await _server.GetAsync($"/api/owners/{id}");
        using var again = await _server.DeleteAsync($"/api/owners/{id}");

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await get.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task PatchAndDelete_IfNoneMatchOfAnotherVersion_Write()
    {
        var created = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var id = created.GetProperty("id").GetString();

        using var patch = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Bob"}""", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"2\""));
        using var bothHold = await _server.PatchAsync($"/api/owners/{id}", """{"name":"Cy"}""", r =>
        {
            r.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            r.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        });
        using var ifMatchHoldsOnly = await _server.DeleteAsync($"/api/owners/{id}", r =>
        {
            r.Headers.TryAddWithoutValidation("If-Match", "\"3\"");
            r.Headers.TryAddWithoutValidation("If-None-Match", "*");
        });
        using var delete = await _server.DeleteAsync($"/api/owners/{id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"1\", \"2\""));

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("Bob", (await patch.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, bothHold.StatusCode);
        Assert.Equal("Cy", (await bothHold.JsonAsync()).GetProperty("name").GetString());
        await ifMatchHoldsOnly.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task Delete_ReferencedByRequiredRelation_Is409AndKeepsRecord()
    {
        var item = await _server.CreateAsync("items", """{"title":"Lamp"}""");
        var id = item.GetProperty("id").GetString();
        await _server.CreateAsync("notes", $$"""{"item":"{{id}}"}""");

        using var response = await _server.DeleteAsync($"/api/items/{id}");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(1, _server.CountRows("items"));
    }

    [Fact]
    public async Task Delete_ReferencedByOptionalRelations_ClearsReferences()
    {
        var owner = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var tag = await _server.CreateAsync("tags", """{"name":"x"}""");
        var item = await _server.CreateAsync("items", $$"""{"title":"Lamp","owner":"{{owner.GetProperty("id")}}","tags":["{{tag.GetProperty("id")}}"]}""");

        using var deleteOwner = await _server.DeleteAsync($"/api/owners/{owner.GetProperty("id")}");
        using var deleteTag = await _server.DeleteAsync($"/api/tags/{tag.GetProperty("id")}");
        using var get = await _server.GetAsync($"/api/items/{item.GetProperty("id")}");

        Assert.Equal(HttpStatusCode.NoContent, deleteOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleteTag.StatusCode);
        var record = await get.JsonAsync();
        Assert.Equal(JsonValueKind.Null, record.GetProperty("owner").ValueKind);
        Assert.Equal(0, record.GetProperty("tags").GetArrayLength());
    }

    [Theory]
    [InlineData("owners")]
    [InlineData("tags")]
    public async Task Delete_ReferencedRecord_BumpsReferrersVersionSoTheirOldETagIsNoLongerCurrent(string deleted)
    {
        var owner = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var tag = await _server.CreateAsync("tags", """{"name":"y"}""");
        var item = await _server.CreateAsync("items", $$"""{"title":"Lamp","owner":"{{owner.GetProperty("id")}}","tags":["{{tag.GetProperty("id")}}"]}""");
        var bystander = await _server.CreateAsync("items", """{"title":"Desk"}""");
        var url = $"/api/items/{item.GetProperty("id")}";
        var target = deleted == "owners" ? owner : tag;

        using var delete = await _server.DeleteAsync($"/api/{deleted}/{target.GetProperty("id")}");
        using var revalidate = await _server.GetAsync(url, r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"1\""));
        using var stalePatch = await _server.PatchAsync(url, """{"title":"Lamp 2"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
        using var untouched = await _server.GetAsync($"/api/items/{bystander.GetProperty("id")}", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"1\""));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revalidate.StatusCode);
        Assert.Equal("\"2\"", revalidate.Headers.ETag?.Tag);
        var record = await revalidate.JsonAsync();
        Assert.Equal(2, record.GetProperty("version").GetInt32());
        await stalePatch.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.Equal(HttpStatusCode.NotModified, untouched.StatusCode);
    }

    [Fact]
    public async Task Relations_MultipleKeepsOrder_AndMissingTargetIs422()
    {
        var a = (await _server.CreateAsync("tags", """{"name":"a"}""")).GetProperty("id").GetString();
        var b = (await _server.CreateAsync("tags", """{"name":"b"}""")).GetProperty("id").GetString();
        const string missing = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80";

        var item = await _server.CreateAsync("items", $$"""{"title":"Lamp","tags":["{{b}}","{{a}}"]}""");
        using var bad = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","tags":["{{a}}","{{missing}}"],"owner":"{{missing}}"}""");

        Assert.Equal(new[] { b, a }, item.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        var problem = await bad.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Contains(missing, problem.Errors("tags")[0]);
        Assert.Contains(missing, problem.Errors("owner")[0]);
        Assert.Equal(1, _server.CountRows("items"));
    }

    [Fact]
    public async Task List_PagesWithLimitAndCursor_VisitingEveryRecordOnce()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await _server.CreateAsync("owners", $$"""{"name":"n{{i}}"}""")).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await _server.GetAsync("/api/owners?limit=3" + (cursor is null ? string.Empty : "&after=" + cursor));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task List_DefaultsTo20_AndOffsetSkips()
    {
        for (var i = 0; i < 25; i++)
        {
            await _server.CreateAsync("tags", $$"""{"name":"t{{i}}"}""");
        }

        using var first = await _server.GetAsync("/api/tags");
        using var skipped = await _server.GetAsync("/api/tags?offset=20");

        Assert.Equal(20, (await first.JsonAsync()).GetProperty("items").GetArrayLength());
        var rest = await skipped.JsonAsync();
        Assert.Equal(5, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=abc")]
    [InlineData("limit=-1")]
    [InlineData("limit=1&limit=2")]
    [InlineData("offset=-3")]
    [InlineData("offset=10001")]
    [InlineData("after=bm90LWEtY3Vyc29y")]
    [InlineData("after=%27%20OR%201%3D1--")]
    [InlineData("count=yes")]
    [InlineData("after=x&offset=3")]
    public async Task List_BadParameters_Are400(string query)
    {
        using var response = await _server.GetAsync("/api/tags?" + query);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Head_AnyGetRoute_AnswersLikeGetWithoutTheBody()
    {
        var tag = await _server.CreateAsync("tags", """{"name":"head"}""");
        var url = $"/api/tags/{tag.GetProperty("id")}";
        using var get = await _server.GetAsync(url);
        var getBody = await get.Content.ReadAsByteArrayAsync();

        using var head = await Head(url);
        using var revalidate = await Head(url, "\"1\"");
        using var list = await Head("/api/tags");
        using var missing = await Head("/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80");
        using var live = await Head("/health/live");
        using var batch = await Head("/api/batch");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, revalidate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty(await list.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, batch.StatusCode);
        Assert.Equal(["POST"], batch.Content.Headers.Allow);
    }

    private Task<HttpResponseMessage> Head(string url, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Head, url);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return _server.Client.SendAsync(request);
    }

    [Fact]
    public async Task UnknownMethod_Is405WithAllow()
    {
        using var response = await _server.SendAsync(HttpMethod.Put, "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", "{}");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains("PATCH", response.Content.Headers.Allow);
    }
}

public sealed class CrudTestsOnSqlite : CrudTests<Sqlite>;

public sealed class CrudTestsOnPostgres : CrudTests<Postgres>;
