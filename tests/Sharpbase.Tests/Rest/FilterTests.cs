using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class FilterTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);
        var ann = (await _server.CreateAsync("owners", """{"name":"Ann Lee"}""")).GetProperty("id").GetString();
        var bob = (await _server.CreateAsync("owners", """{"name":"Bob"}""")).GetProperty("id").GetString();
        var dotnet = (await _server.CreateAsync("tags", """{"name":"dotnet"}""")).GetProperty("id").GetString();
        var rust = (await _server.CreateAsync("tags", """{"name":"rust"}""")).GetProperty("id").GetString();
        await _server.CreateAsync("items", $$"""{"title":"Lamp","count":5,"price":12.5,"active":true,"color":"red","due":"2030-05-01T10:00:00Z","day":"2030-05-01","owner":"{{ann}}","tags":["{{dotnet}}"],"email":"a@x.io","secret":"s1"}""");
        await _server.CreateAsync("items", $$"""{"title":"50% off","count":0,"price":null,"active":false,"color":"blue","owner":"{{bob}}","tags":["{{rust}}","{{dotnet}}"],"secret":"s2"}""");
        await _server.CreateAsync("items", """{"title":"500 pins","count":50,"price":3.5,"color":"green","due":"2001-01-01T00:00:00+02:00"}""");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string[]> TitlesAsync(string filter)
    {
        using var response = await _server.GetAsync("/api/items?sort=title&filter=" + Uri.EscapeDataString(filter));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];
    }

    [Theory]
    [InlineData("count > 3", "500 pins|Lamp")]
    [InlineData("count >= 5 && count <= 5", "Lamp")]
    [InlineData("count = 0 || price = 3.5", "50% off|500 pins")]
    [InlineData("!(count = 0)", "500 pins|Lamp")]
    [InlineData("price = null", "50% off")]
    [InlineData("price != null", "500 pins|Lamp")]
    [InlineData("title ~ \"lamp\"", "Lamp")]
    [InlineData("title ~ \"50%\"", "50% off")]
    [InlineData("title !~ \"50\"", "Lamp")]
    [InlineData("active = true", "500 pins|Lamp")]
    [InlineData("color in [\"red\", \"green\"]", "500 pins|Lamp")]
    [InlineData("due >= \"2030-01-01T00:00:00Z\"", "Lamp")]
    [InlineData("due < \"2001-01-01T00:00:00Z\"", "500 pins")]
    [InlineData("day = \"2030-05-01\"", "Lamp")]
    [InlineData("owner.name ~ \"ann\"", "Lamp")]
    [InlineData("tags.name = \"dotnet\"", "50% off|Lamp")]
    [InlineData("tags.name ?= \"rust\"", "50% off")]
    [InlineData("tags = null", "500 pins")]
    [InlineData("email = \"a@x.io\"", "Lamp")]
    [InlineData("created_at <= @now && version = 1", "50% off|500 pins|Lamp")]
    [InlineData("owner = @auth.id", "")]
    [InlineData("title = \"'; DROP TABLE items; --\"", "")]
    [InlineData("title = \"\\\" OR 1=1 --\"", "")]
    public async Task Filter_Operators_SelectTheRightRecords(string filter, string expected)
    {
        var titles = await TitlesAsync(filter);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), titles);
        Assert.Equal(3, _server.CountRows("items"));
    }

    [Theory]
    [InlineData("auhtor = 1", "unknown_field", "at 1:1")]
    [InlineData("titel = \"x\"", "unknown_field", "did you mean 'title'")]
    [InlineData("secret = \"s1\"", "field_not_filterable", "at 1:1")]
    [InlineData("secret ~ \"s\"", "field_not_filterable", "")]
    [InlineData("owner.secret = 1", "unknown_field", "")]
    [InlineData("count = \"x\"", "type_mismatch", "")]
    [InlineData("count >", "syntax", "at 1:")]
    [InlineData("(count = 1", "syntax", "")]
    [InlineData("count = 1; DROP TABLE items", "syntax", "")]
    [InlineData("count = 1 -- comment", "syntax", "")]
    [InlineData("tіtle = \"x\"", "syntax", "")]
    [InlineData("title = 'x'' OR ''1''=''1'", "syntax", "at 1:12")]
    [InlineData("owner.name.x.y = 1", "not_a_relation", "")]
    [InlineData("title = \"a\u0000b\"", "syntax", "NUL")]
    [InlineData("title = \"a\\u0000b\"", "syntax", "NUL")]
    [InlineData("title = @body.title", "unknown_variable", "at 1:9")]
    public async Task Filter_Invalid_Is400WithCodeAndPosition(string filter, string code, string fragment)
    {
        using var response = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString(filter));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Contains(fragment, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("s1", problem.GetProperty("detail").GetString());
        Assert.Equal(3, _server.CountRows("items"));
    }

    [Fact]
    public async Task Filter_TooLongOrTooDeep_Is400()
    {
        using var tooLong = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString("title=\"" + new string('x', 4100) + "\""));
        using var tooManyTerms = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString(string.Join("||", Enumerable.Repeat("count=1", 70))));
        using var tooDeep = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString(new string('(', 200) + "count = 1" + new string(')', 200)));

        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest, "too_long");
        await tooManyTerms.AssertProblemAsync(HttpStatusCode.BadRequest, "too_many_terms");
        await tooDeep.AssertProblemAsync(HttpStatusCode.BadRequest, "too_deep");
    }

    [Fact]
    public async Task Filter_WithCountAndCursor_CountsMatchesAndBindsCursorToTheFilter()
    {
        using var first = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString("count >= 0") + "&sort=title&limit=1&count=true");
        var page = await first.JsonAsync();
        var cursor = page.GetProperty("next_cursor").GetString();

        using var next = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString("count >= 0") + "&sort=title&limit=1&after=" + cursor);
        using var otherFilter = await _server.GetAsync("/api/items?filter=" + Uri.EscapeDataString("count >= 1") + "&sort=title&limit=1&after=" + cursor);

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal("500 pins", (await next.JsonAsync()).GetProperty("items")[0].GetProperty("title").GetString());
        await otherFilter.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Filter_ValuesNeverReachTheSqlText()
    {
        using var recorder = new SqlRecorder(_server.DatabaseLocation);

        await TitlesAsync("title = \"zz-marker-zz\" || owner.name ~ \"yy-marker-yy\"");

        Assert.NotEmpty(recorder.Statements);
        Assert.All(recorder.Statements, sql => Assert.DoesNotContain("marker", sql));
    }
}

public sealed class FilterTestsOnSqlite : FilterTests<Sqlite>;

public sealed class FilterTestsOnPostgres : FilterTests<Postgres>;
