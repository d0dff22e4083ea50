using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class ListQueryTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.EverythingUnlimited);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await _server.GetAsync("/api/items?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string[] Titles(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];

    [Fact]
    public async Task Sort_MultipleKeysAndDescending_OrdersWithNullsSmallest()
    {
        await _server.CreateAsync("items", """{"title":"b1","count":2,"price":1.5}""");
        await _server.CreateAsync("items", """{"title":"a1","count":2,"price":null}""");
        await _server.CreateAsync("items", """{"title":"c1","count":1,"price":3.5}""");
        await _server.CreateAsync("items", """{"title":"d1","count":2,"price":9.5}""");

        var byCountThenTitle = await ListAsync("sort=-count,title");
        var byPrice = await ListAsync("sort=price");
        var byPriceDesc = await ListAsync("sort=-price");

        Assert.Equal(new[] { "a1", "b1", "d1", "c1" }, Titles(byCountThenTitle));
        Assert.Equal(new[] { "a1", "b1", "c1", "d1" }, Titles(byPrice));
        Assert.Equal(new[] { "d1", "c1", "b1", "a1" }, Titles(byPriceDesc));
    }

    [Theory]
    [InlineData("sort=-count,title")]
    [InlineData("sort=price,-title")]
    [InlineData("sort=-price")]
    [InlineData("sort=active,-created_at")]
    [InlineData("sort=color,due")]
    public async Task Cursor_PagesThroughDuplicatesAndNulls_VisitingEachRecordOnce(string sort)
    {
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            var price = i % 4 == 0 ? "null" : (i % 3 + 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var created = await _server.CreateAsync("items", $$"""{"title":"t{{i:00}}","count":{{i % 3}},"price":{{price}},"active":{{(i % 2 == 0 ? "true" : "false")}},"color":"{{(i % 2 == 0 ? "red" : "blue")}}"}""");
            expected.Add(created.GetProperty("id").GetString()!);
        }
        var all = await ListAsync(sort + "&limit=200");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(sort + "&limit=4" + (cursor is null ? "" : "&after=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!), seen);
        Assert.Equal(expected.Order(), seen.Order());
    }

    [Fact]
    public async Task Cursor_TamperedOrFromAnotherQuery_Is400()
    {
        for (var i = 0; i < 3; i++)
        {
            await _server.CreateAsync("items", $$"""{"title":"t{{i}}"}""");
        }
        var cursor = (await ListAsync("sort=title&limit=1")).GetProperty("next_cursor").GetString()!;
        var flipped = cursor[..5] + (cursor[5] == 'A' ? 'B' : 'A') + cursor[6..];

        using var tampered = await _server.GetAsync("/api/items?sort=title&limit=1&after=" + flipped);
        using var otherSort = await _server.GetAsync("/api/items?sort=-title&limit=1&after=" + cursor);
        using var otherCollection = await _server.GetAsync("/api/tags?sort=title&limit=1&after=" + cursor);
        using var truncated = await _server.GetAsync("/api/items?sort=title&limit=1&after=" + cursor[..^2]);
        using var valid = await _server.GetAsync("/api/items?sort=title&limit=1&after=" + cursor);

        await tampered.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        await otherSort.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(HttpStatusCode.BadRequest, otherCollection.StatusCode);
        await truncated.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Theory]
    [InlineData("sort=nope", "unknown_field")]
    [InlineData("sort=secret", "field_not_filterable")]
    [InlineData("sort=meta", "bad_request")]
    [InlineData("sort=tags", "bad_request")]
    [InlineData("sort=title,title", "bad_request")]
    [InlineData("sort=", "unknown_field")]
    [InlineData("sort=title;DROP TABLE items", "unknown_field")]
    [InlineData("fields=title,nope", "unknown_field")]
    [InlineData("fields=secret", "unknown_field")]
    [InlineData("expand=title", "unknown_field")]
    [InlineData("expand=secret", "unknown_field")]
    [InlineData("expand=owner.name", "unknown_field")]
    [InlineData("expand=tags.x.y", "bad_request")]
    public async Task BadListParameters_Are400WithTheirCode(string query, string code)
    {
        using var response = await _server.GetAsync("/api/items?" + query);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal(1, await TableStillThereAsync());
    }

    private async Task<int> TableStillThereAsync()
    {
        using var response = await _server.GetAsync("/api/items");
        return response.StatusCode == HttpStatusCode.OK ? 1 : 0;
    }

    [Fact]
    public async Task Fields_ReturnsOnlyTheSelectedFields()
    {
        await _server.CreateAsync("items", """{"title":"Lamp","count":3}""");

        var page = await ListAsync("fields=title,count");

        var item = page.GetProperty("items")[0];
        Assert.Equal(new[] { "title", "count" }, item.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Expand_SingleMultipleAndNested_ReturnsRelatedRecordsUnderExpand_WithOneQueryPerRelation()
    {
        var owner = await _server.CreateAsync("owners", """{"name":"Ann"}""");
        var tagA = await _server.CreateAsync("tags", """{"name":"a"}""");
        var tagB = await _server.CreateAsync("tags", """{"name":"b"}""");
        for (var i = 0; i < 5; i++)
        {
            var item = await _server.CreateAsync("items", $$"""{"title":"i{{i}}","owner":"{{owner.GetProperty("id")}}","tags":["{{tagB.GetProperty("id")}}","{{tagA.GetProperty("id")}}"]}""");
            await _server.CreateAsync("notes", $$"""{"item":"{{item.GetProperty("id")}}","text":"n{{i}}"}""");
        }
        await _server.CreateAsync("items", """{"title":"lonely"}""");
        using var recorder = new SqlRecorder(_server.DatabaseLocation);

        var items = await ListAsync("expand=owner,tags&sort=title");
        var itemStatements = recorder.Statements.Count;
        recorder.Clear();
        using var notesResponse = await _server.GetAsync("/api/notes?expand=item.owner,item.tags");
        var notes = await notesResponse.JsonAsync();
        var noteStatements = recorder.Statements.Count;

        var first = items.GetProperty("items")[0];
        Assert.Equal("Ann", first.GetProperty("expand").GetProperty("owner").GetProperty("name").GetString());
        Assert.Equal(new[] { "b", "a" }, first.GetProperty("expand").GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.String, first.GetProperty("owner").ValueKind);
        var lonely = items.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == "lonely");
        Assert.Equal(JsonValueKind.Null, lonely.GetProperty("expand").GetProperty("owner").ValueKind);
        Assert.Equal(0, lonely.GetProperty("expand").GetProperty("tags").GetArrayLength());
        Assert.Equal(3, itemStatements);
        var nested = notes.GetProperty("items")[0].GetProperty("expand").GetProperty("item").GetProperty("expand");
        Assert.Equal("Ann", nested.GetProperty("owner").GetProperty("name").GetString());
        Assert.Equal(2, nested.GetProperty("tags").GetArrayLength());
        Assert.Equal(4, noteStatements);
    }

    [Fact]
    public async Task Count_OnlyWhenAsked_CountsEveryRecord()
    {
        for (var i = 0; i < 5; i++)
        {
            await _server.CreateAsync("items", $$"""{"title":"t{{i}}"}""");
        }

        var counted = await ListAsync("count=true&limit=2");
        var plain = await ListAsync("limit=2");

        Assert.Equal(5, counted.GetProperty("total").GetInt32());
        Assert.Equal(2, counted.GetProperty("items").GetArrayLength());
        Assert.False(plain.TryGetProperty("total", out _));
    }

    [Fact]
    public async Task Cursor_WhileRowsAreInsertedAndDeleted_NeverSkipsOrRepeatsStableRows()
    {
        const int rows = 10_000;
        for (var batch = 0; batch < rows / 100; batch++)
        {
            var requests = string.Join(",", Enumerable.Range(0, 100).Select(i => $$$"""{"method":"POST","url":"/api/owners","body":{"name":"n{{{(batch * 100 + i) % 97:00}}}"}}"""));
            using var response = await _server.PostAsync("/api/batch", $$"""{"requests":[{{requests}}]}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var stable = new HashSet<string>();
        string? scan = null;
        do
        {
            using var page = await _server.GetAsync("/api/owners?sort=name&limit=200&fields=id" + (scan is null ? "" : "&after=" + scan));
            var json = await page.JsonAsync();
            foreach (var item in json.GetProperty("items").EnumerateArray())
            {
                stable.Add(item.GetProperty("id").GetString()!);
            }
            scan = json.GetProperty("next_cursor").GetString();
        }
        while (scan is not null);
        Assert.Equal(rows, stable.Count);
        var doomed = stable.Take(300).ToList();
        foreach (var id in doomed)
        {
            stable.Remove(id);
        }

        using var churn = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var next = 0;
            while (!churn.IsCancellationRequested)
            {
                using var created = await _server.PostAsync("/api/owners", $$"""{"name":"n{{next++ % 97:00}}"}""");
                if (next <= doomed.Count)
                {
                    using var deleted = await _server.DeleteAsync("/api/owners/" + doomed[next - 1]);
                }
            }
        });
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            using var page = await _server.GetAsync("/api/owners?sort=name&limit=150&fields=id" + (cursor is null ? "" : "&after=" + cursor));
            var json = await page.JsonAsync();
            seen.AddRange(json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = json.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        await churn.CancelAsync();
        await writer;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(stable.Except(seen));
    }
}

public sealed class ListQueryTestsOnSqlite : ListQueryTests<Sqlite>;

public sealed class ListQueryTestsOnPostgres : ListQueryTests<Postgres>;
