using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

/// <summary>
/// Every field type and option of <see cref="TestSchemas.Everything"/>, over HTTP: valid values are
/// stored and returned normalised, invalid ones are refused with 422 naming the field, and a
/// refused request writes nothing.
/// </summary>
public abstract class FieldValidationTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string MissingId = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80";

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>(field, JSON value sent, JSON value expected back).</summary>
    public static TheoryData<string, string, string> ValidValues => new()
    {
        // text: length in characters (runes), so an emoji counts once
        { "title", "\"Lo\"", "\"Lo\"" },
        { "title", "\"0123456789\"", "\"0123456789\"" },
        { "title", "\"😀😀\"", "\"😀😀\"" },
        { "title", "\"😀😀😀😀😀😀😀😀😀😀\"", "\"😀😀😀😀😀😀😀😀😀😀\"" },
        { "title", "\"ÅÉÎÕÜ\"", "\"ÅÉÎÕÜ\"" },
        { "title", "\"  \"", "\"  \"" },
        { "code", "\"ABC-123\"", "\"ABC-123\"" },
        // integer
        { "count", "0", "0" },
        { "count", "100", "100" },
        { "count", "42", "42" },
        { "count", "-0", "0" },
        // number
        { "price", "0.5", "0.5" },
        { "price", "99.5", "99.5" },
        { "price", "12.25", "12.25" },
        { "price", "1", "1" },
        { "price", "1e1", "10" },
        { "price", "0.75", "0.75" },
        // boolean
        { "active", "true", "true" },
        { "active", "false", "false" },
        // datetime: stored and returned as UTC with Z and milliseconds
        { "due", "\"2026-01-31T09:30:00+02:00\"", "\"2026-01-31T07:30:00.000Z\"" },
        { "due", "\"2026-01-31T09:30:00Z\"", "\"2026-01-31T09:30:00.000Z\"" },
        { "due", "\"2026-01-31T09:30:00.5Z\"", "\"2026-01-31T09:30:00.500Z\"" },
        { "due", "\"2026-01-31T09:30:00.12Z\"", "\"2026-01-31T09:30:00.120Z\"" },
        { "due", "\"2026-01-31T09:30:00.123-01:30\"", "\"2026-01-31T11:00:00.123Z\"" },
        { "due", "\"2026-01-01T01:00:00+05:00\"", "\"2025-12-31T20:00:00.000Z\"" },
        { "due", "\"2000-01-01T00:00:00Z\"", "\"2000-01-01T00:00:00.000Z\"" },
        { "due", "\"2100-01-01T00:00:00Z\"", "\"2100-01-01T00:00:00.000Z\"" },
        { "due", "\"2000-01-01T01:00:00+01:00\"", "\"2000-01-01T00:00:00.000Z\"" },
        { "seen_at", "\"2026-01-31T09:30:00Z\"", "\"2026-01-31T09:30:00.000Z\"" },
        // date
        { "day", "\"2026-01-31\"", "\"2026-01-31\"" },
        { "day", "\"2024-02-29\"", "\"2024-02-29\"" },
        { "day", "\"2000-01-01\"", "\"2000-01-01\"" },
        { "day", "\"2099-12-31\"", "\"2099-12-31\"" },
        // json: any JSON value, stored as sent
        { "meta", """{"a":{"b":[1,2,{"c":null}]},"d":"x"}""", """{"a":{"b":[1,2,{"c":null}]},"d":"x"}""" },
        { "meta", """[1,"two",true,null,{"x":[]}]""", """[1,"two",true,null,{"x":[]}]""" },
        { "meta", "\"just a string\"", "\"just a string\"" },
        { "meta", "\"é😀\"", "\"é😀\"" },
        { "meta", "42", "42" },
        { "meta", "-1.5", "-1.5" },
        { "meta", "true", "true" },
        { "meta", "{}", "{}" },
        { "meta", "[]", "[]" },
        // email: the domain is lower-cased, the local part kept
        { "email", "\"Ann@Example.COM\"", "\"Ann@example.com\"" },
        { "email", "\"a.b+c@mail.example.co.uk\"", "\"a.b+c@mail.example.co.uk\"" },
        // url
        { "site", "\"https://example.com/a?b=c#d\"", "\"https://example.com/a?b=c#d\"" },
        { "site", "\"http://localhost:8080/\"", "\"http://localhost:8080/\"" },
        { "site", "\"HTTPS://example.com\"", "\"HTTPS://example.com\"" },
        // uuid: lower-cased
        { "ref", "\"0190A5B2-7C3E-7DEF-8A12-3B4C5D6E7F80\"", "\"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80\"" },
        { "ref", "\"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80\"", "\"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80\"" },
        // select
        { "color", "\"green\"", "\"green\"" },
        { "color", "\"blue\"", "\"blue\"" },
        // multiple relation, empty
        { "tags", "[]", "[]" },
    };

    /// <summary>(field, JSON value that must be refused for that field).</summary>
    public static TheoryData<string, string> InvalidValues => new()
    {
        // text
        { "title", "\"a\"" },
        { "title", "\"😀\"" },
        { "title", "\"01234567890\"" },
        { "title", "\"😀😀😀😀😀😀😀😀😀😀😀\"" },
        { "title", "\"ab\\u0000cd\"" },
        { "title", "5" },
        { "title", "true" },
        { "title", "[\"Lamp\"]" },
        { "title", "{\"a\":1}" },
        { "code", "\"abc-123\"" },
        { "code", "\"ABC-1234\"" },
        { "code", "\" ABC-123\"" },
        { "code", "\"ABC-123\\n\"" },
        { "code", "\"ABC-12\\u0000\"" },
        { "code", "123" },
        // integer: no fractions, no exponents, no strings, 64-bit range, min/max
        { "count", "1.0" },
        { "count", "1.5" },
        { "count", "1e2" },
        { "count", "\"1\"" },
        { "count", "9223372036854775808" },
        { "count", "-9223372036854775809" },
        { "count", "-1" },
        { "count", "101" },
        { "count", "true" },
        // number
        { "price", "\"1\"" },
        { "price", "1e400" },
        { "price", "-1e400" },
        { "price", "0.49" },
        { "price", "99.51" },
        { "price", "true" },
        { "price", "[1]" },
        // boolean
        { "active", "\"true\"" },
        { "active", "1" },
        { "active", "0" },
        { "active", "\"yes\"" },
        // datetime
        { "due", "\"2026-01-31T09:30:00\"" },
        { "due", "\"2026-01-31\"" },
        { "due", "\"2026-01-31T09:30:00.1234Z\"" },
        { "due", "\"2026-01-31 09:30:00Z\"" },
        { "due", "\"2026-01-31T09:30Z\"" },
        { "due", "\"2026-02-30T09:30:00Z\"" },
        { "due", "\"2026-01-31T25:00:00Z\"" },
        { "due", "\"1999-12-31T23:59:59Z\"" },
        { "due", "\"2100-01-01T00:00:00.001Z\"" },
        { "due", "\"2000-01-01T00:30:00+01:00\"" },
        { "due", "\"yesterday\"" },
        { "due", "1769851800" },
        { "seen_at", "\"now\"" },
        // date
        { "day", "\"2026-02-30\"" },
        { "day", "\"2026-02-29\"" },
        { "day", "\"2026-13-01\"" },
        { "day", "\"2026-1-5\"" },
        { "day", "\"31/01/2026\"" },
        { "day", "\"2026-01-31T00:00:00Z\"" },
        { "day", "\"1999-12-31\"" },
        { "day", "\"2100-01-01\"" },
        { "day", "20260131" },
        // email
        { "email", "\"not-an-email\"" },
        { "email", "\"a@b\"" },
        { "email", "\"a b@example.com\"" },
        { "email", "\"a@example.com.\"" },
        { "email", "\"@example.com\"" },
        { "email", "\"ann@\"" },
        { "email", "\"Ann <ann@example.com>\"" },
        { "email", "\"ann@example.com\\n\"" },
        { "email", "\"" + new string('a', 250) + "@example.com\"" },
        { "email", "5" },
        // url
        { "site", "\"ftp://example.com/file\"" },
        { "site", "\"/relative/path\"" },
        { "site", "\"relative/path\"" },
        { "site", "\"javascript:alert(1)\"" },
        { "site", "\"JavaScript:alert(1)\"" },
        { "site", "\"example.com\"" },
        { "site", "\"http://\"" },
        { "site", "\"https://exa mple.com\"" },
        { "site", "\"file:///etc/passwd\"" },
        { "site", "\"data:text/html,<script>alert(1)</script>\"" },
        { "site", "\"mailto:ann@example.com\"" },
        { "site", "\"https://example.com/" + new string('a', 2048) + "\"" },
        // uuid
        { "ref", "\"not-a-uuid\"" },
        { "ref", "\"{0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80}\"" },
        { "ref", "\"0190a5b27c3e7def8a123b4c5d6e7f80\"" },
        { "ref", "\"\"" },
        { "ref", "5" },
        // select: exact, case-sensitive
        { "color", "\"purple\"" },
        { "color", "\"Red\"" },
        { "color", "\"RED\"" },
        { "color", "\" red\"" },
        { "color", "1" },
        { "color", "[\"red\"]" },
        // relations
        { "owner", "\"not-a-uuid\"" },
        { "owner", "5" },
        { "owner", "[\"" + MissingId + "\"]" },
        { "tags", "\"" + MissingId + "\"" },
        { "tags", "[\"not-a-uuid\"]" },
        { "tags", "[1]" },
        { "tags", "{\"a\":1}" },
    };

    /// <summary>Optional fields and what a PATCH to null leaves in them.</summary>
    public static TheoryData<string, string> ClearableFields => new()
    {
        { "code", "null" },
        { "count", "null" },
        { "price", "null" },
        { "active", "null" },
        { "due", "null" },
        { "day", "null" },
        { "meta", "null" },
        { "email", "null" },
        { "site", "null" },
        { "ref", "null" },
        { "color", "null" },
        { "owner", "null" },
        { "tags", "[]" },
        { "seen_at", "null" },
    };

    [Theory]
    [MemberData(nameof(ValidValues))]
    public async Task Create_ValidValue_StoresAndReturnsNormalisedValue(string field, string value, string expected)
    {
        var body = WithField(field, value);

        using var response = await _server.PostAsync("/api/items", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {text}");
        var created = JsonDocument.Parse(text).RootElement;
        AssertJsonEqual(expected, created.GetProperty(field));
        using var get = await _server.GetAsync($"/api/items/{created.GetProperty("id").GetString()}");
        AssertJsonEqual(expected, (await get.JsonAsync()).GetProperty(field));
    }

    [Theory]
    [MemberData(nameof(ValidValues))]
    public async Task Patch_ValidValue_StoresAndReturnsNormalisedValue(string field, string value, string expected)
    {
        var id = (await _server.CreateAsync("items", """{"title":"Lamp"}""")).GetProperty("id").GetString();

        using var response = await _server.PatchAsync($"/api/items/{id}", $$"""{"{{field}}":{{value}}}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        AssertJsonEqual(expected, JsonDocument.Parse(text).RootElement.GetProperty(field));
        using var get = await _server.GetAsync($"/api/items/{id}");
        AssertJsonEqual(expected, (await get.JsonAsync()).GetProperty(field));
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Create_InvalidValue_Is422NamingOnlyThatField(string field, string value)
    {
        var body = WithField(field, value);

        using var response = await _server.PostAsync("/api/items", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal([field], ErrorKeys(problem));
        Assert.NotEmpty(problem.Errors(field)[0]);
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Patch_InvalidValue_Is422AndRecordUnchanged(string field, string value)
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", $$"""{"{{field}}":{{value}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal([field], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Theory]
    [MemberData(nameof(ClearableFields))]
    public async Task Patch_NullOnOptionalField_ClearsIt(string field, string expected)
    {
        var owner = (await _server.CreateAsync("owners", """{"name":"Ann"}""")).GetProperty("id").GetString();
        var tag = (await _server.CreateAsync("tags", """{"name":"t"}""")).GetProperty("id").GetString();
        var created = await _server.CreateAsync("items", $$"""
            {"title":"Lamp","code":"ABC-123","count":3,"price":1.5,"active":false,"due":"2026-01-31T09:30:00Z","day":"2026-01-31",
             "meta":{"a":1},"email":"a@example.com","site":"https://example.com","ref":"{{MissingId}}","color":"blue",
             "owner":"{{owner}}","tags":["{{tag}}"],"seen_at":"2026-01-31T09:30:00Z"}
            """);
        Assert.NotEqual(expected, created.GetProperty(field).GetRawText());

        using var response = await _server.PatchAsync($"/api/items/{created.GetProperty("id")}", $$"""{"{{field}}":null}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.JsonAsync()).GetProperty(field).GetRawText());
    }

    [Theory]
    [InlineData("a$b", true, false)]
    [InlineData("$$", true, true)]
    [InlineData("ab", true, true)]
    [InlineData("x$", false, true)]
    [InlineData("a$\\n", false, false)]
    [InlineData("b\\n", false, false)]
    public async Task Pattern_DollarIsEndOfText_AlsoAroundClassesEscapesAndComments(string value, bool anchoredAccepts, bool escapedAccepts)
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>("""
            collections:
              things:
                rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
                fields:
                  anchored: { type: text, pattern: '^[a$b]+$' }
                  escaped:  { type: text, pattern: '^[^]\n]*\$$|^[ab]+(?#end$)$' }
            """);

        using var anchored = await server.PostAsync("/api/things", $$"""{"anchored":"{{value}}"}""");
        using var escaped = await server.PostAsync("/api/things", $$"""{"escaped":"{{value}}"}""");

        Assert.Equal(anchoredAccepts ? HttpStatusCode.Created : HttpStatusCode.UnprocessableEntity, anchored.StatusCode);
        Assert.Equal(escapedAccepts ? HttpStatusCode.Created : HttpStatusCode.UnprocessableEntity, escaped.StatusCode);
    }

    [Fact]
    public async Task FieldNamedBody_ItsErrorsAreNotMixedWithTheWholeBodysOnes()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>("""
            collections:
              articles:
                rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
                fields:
                  body: { type: text, max: 5 }
            """);
        var unknown = string.Concat(Enumerable.Range(0, 25).Select(i => $",\"k{i}\":1"));

        using var created = await server.PostAsync("/api/articles", "{\"body\":\"too long\"" + unknown + "}");
        using var array = await server.PostAsync("/api/articles", """[{"body":"ok"}]""");

        var problem = await created.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["must be at most 5 characters"], problem.Errors("body"));
        Assert.Equal("the record is not valid: 5 more fields are not fields of articles; see errors for each field", problem.GetProperty("detail").GetString());
        var arrayProblem = await array.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal("the record is not valid: the body must be a JSON object", arrayProblem.GetProperty("detail").GetString());
        Assert.False(arrayProblem.TryGetProperty("errors", out _));
        Assert.Equal(0, server.CountRows("articles"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"title":null}""")]
    [InlineData("""{"count":5}""")]
    public async Task Create_RequiredFieldMissingOrNull_Is422(string body)
    {
        using var response = await _server.PostAsync("/api/items", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["title"], ErrorKeys(problem));
        Assert.Equal(["is required"], problem.Errors("title"));
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Fact]
    public async Task CreateAndPatch_RequiredTextEmpty_Is422AndNothingChanges()
    {
        using var created = await _server.PostAsync("/api/owners", """{"name":""}""");
        var id = (await _server.CreateAsync("owners", """{"name":"Ada"}""")).GetProperty("id").GetString()!;
        var before = await GetRawAsync(id, "owners");
        using var patched = await _server.PatchAsync($"/api/owners/{id}", """{"name":""}""");

        var problem = await created.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is required and cannot be empty"], problem.Errors("name"));
        var patchProblem = await patched.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is required and cannot be empty"], patchProblem.Errors("name"));
        Assert.Equal(before, await GetRawAsync(id, "owners"));
        Assert.Equal(1, _server.CountRows("owners"));
    }

    [Theory]
    [InlineData("""{"text":"x"}""")]
    [InlineData("""{"item":null}""")]
    public async Task Create_RequiredRelationMissingOrNull_Is422(string body)
    {
        using var response = await _server.PostAsync("/api/notes", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["item"], ErrorKeys(problem));
        Assert.Equal(0, _server.CountRows("notes"));
    }

    [Fact]
    public async Task Create_ExplicitNullOnFieldWithDefault_TakesTheDefault()
    {
        var created = await _server.CreateAsync("items", """{"title":"Lamp","count":null,"color":null,"active":null}""");

        Assert.Equal(7, created.GetProperty("count").GetInt32());
        Assert.Equal("red", created.GetProperty("color").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Patch_RequiredFieldToNull_Is422AndRecordUnchanged()
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", """{"title":null}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["title"], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Fact]
    public async Task Patch_RequiredRelationToNull_Is422AndRecordUnchanged()
    {
        var item = await CreateItemAsync();
        var note = (await _server.CreateAsync("notes", $$"""{"item":"{{item}}"}""")).GetProperty("id").GetString()!;
        var before = await GetRawAsync(note, "notes");

        using var response = await _server.PatchAsync($"/api/notes/{note}", """{"item":null}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["item"], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(note, "notes"));
    }

    [Fact]
    public async Task HiddenField_IsWritableButNeverReturned()
    {
        using var create = await _server.PostAsync("/api/items", """{"title":"Lamp","secret":"s3cret-create"}""");
        var created = await create.JsonAsync();
        var id = created.GetProperty("id").GetString()!;

        using var patch = await _server.PatchAsync($"/api/items/{id}", """{"secret":"s3cret-patch"}""");
        using var get = await _server.GetAsync($"/api/items/{id}");
        using var list = await _server.GetAsync("/api/items");

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.False(created.TryGetProperty("secret", out _));
        foreach (var response in new[] { create, patch, get, list })
        {
            Assert.DoesNotContain("s3cret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal("s3cret-patch", ReadColumn("items", id, "secret"));
    }

    [Theory]
    [InlineData("\"changed\"")]
    [InlineData("\"fixed\"")]
    [InlineData("null")]
    public async Task Create_ReadonlyFieldInBody_Is422(string value)
    {
        using var response = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","stamp":{{value}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["stamp"], ErrorKeys(problem));
        Assert.Equal(["is read-only"], problem.Errors("stamp"));
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Theory]
    [InlineData("\"changed\"")]
    [InlineData("null")]
    public async Task Patch_ReadonlyFieldInBody_Is422AndRecordUnchanged(string value)
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", $$"""{"stamp":{{value}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is read-only"], problem.Errors("stamp"));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Theory]
    [InlineData("created_at", "\"2026-01-31T09:30:00.000Z\"")]
    [InlineData("updated_at", "\"2026-01-31T09:30:00.000Z\"")]
    [InlineData("version", "5")]
    [InlineData("version", "null")]
    public async Task Create_SystemFieldInBody_Is422(string field, string value)
    {
        using var response = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","{{field}}":{{value}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal([field], ErrorKeys(problem));
        Assert.Equal(["is read-only"], problem.Errors(field));
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Theory]
    [InlineData("id", "\"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f81\"")]
    [InlineData("id", "null")]
    [InlineData("created_at", "\"2026-01-31T09:30:00.000Z\"")]
    [InlineData("updated_at", "\"2026-01-31T09:30:00.000Z\"")]
    [InlineData("version", "1")]
    [InlineData("version", "99")]
    public async Task Patch_SystemFieldInBody_Is422AndRecordUnchanged(string field, string value)
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", $$"""{"{{field}}":{{value}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal([field], ErrorKeys(problem));
        Assert.Equal(["is read-only"], problem.Errors(field));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Fact]
    public async Task Patch_OwnIdInBody_Is422()
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", $$"""{"id":"{{id}}"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["id"], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Theory]
    [InlineData("\"not-a-uuid\"")]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("\"{0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80}\"")]
    public async Task Create_InvalidClientId_Is422(string value)
    {
        using var response = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","id":{{value}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["id"], ErrorKeys(problem));
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Fact]
    public async Task Create_UpperCaseClientId_IsStoredLowerCase()
    {
        var created = await _server.CreateAsync("items", """{"title":"Lamp","id":"0190A5B2-7C3E-7DEF-8A12-3B4C5D6E7F80"}""");

        Assert.Equal(MissingId, created.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("Title")]
    [InlineData("title ")]
    [InlineData("__proto__")]
    [InlineData("expand")]
    public async Task CreateAndPatch_UnknownField_Is422(string name)
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var create = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","{{name}}":1}""");
        using var patch = await _server.PatchAsync($"/api/items/{id}", $$"""{"{{name}}":1}""");

        foreach (var response in new[] { create, patch })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
            Assert.Equal([name], ErrorKeys(problem));
            Assert.Equal(["is not a field of items"], problem.Errors(name));
        }
        Assert.Equal(1, _server.CountRows("items"));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Fact]
    public async Task Create_FiveBadFields_ReportsAllFiveAtOnce()
    {
        using var response = await _server.PostAsync("/api/items", """{"title":"a","count":1.5,"price":"1","active":1,"color":"purple"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["active", "color", "count", "price", "title"], ErrorKeys(problem));
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Fact]
    public async Task Patch_FiveBadFields_ReportsAllFiveAtOnceAndRecordUnchanged()
    {
        var id = await CreateItemAsync();
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", """{"title":null,"stamp":"x","version":3,"nope":1,"due":"2026-01-31"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["due", "nope", "stamp", "title", "version"], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Fact]
    public async Task Create_UniqueValueTaken_Is409NamingField()
    {
        await _server.CreateAsync("items", """{"title":"Lamp","code":"ABC-123"}""");

        using var response = await _server.PostAsync("/api/items", """{"title":"Desk","code":"ABC-123"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(["code"], ErrorKeys(problem));
        Assert.Contains("code", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, _server.CountRows("items"));
    }

    [Fact]
    public async Task Patch_UniqueValueTaken_Is409AndRecordUnchanged()
    {
        await _server.CreateAsync("tags", """{"name":"red"}""");
        var tag = (await _server.CreateAsync("tags", """{"name":"blue"}""")).GetProperty("id").GetString()!;
        var before = await GetRawAsync(tag, "tags");

        using var response = await _server.PatchAsync($"/api/tags/{tag}", """{"name":"red"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(["name"], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(tag, "tags"));
    }

    [Fact]
    public async Task Create_UniqueNullsDoNotCollide()
    {
        await _server.CreateAsync("items", """{"title":"Lamp"}""");
        await _server.CreateAsync("items", """{"title":"Desk","code":null}""");

        Assert.Equal(2, _server.CountRows("items"));
    }

    [Fact]
    public async Task Relation_UpperCaseIdOfExistingRecord_IsAcceptedAndStoredLowerCase()
    {
        var owner = (await _server.CreateAsync("owners", """{"name":"Ann"}""")).GetProperty("id").GetString()!;
        var tag = (await _server.CreateAsync("tags", """{"name":"t"}""")).GetProperty("id").GetString()!;

        var item = await _server.CreateAsync("items", $$"""{"title":"Lamp","owner":"{{owner.ToUpperInvariant()}}","tags":["{{tag.ToUpperInvariant()}}"]}""");

        Assert.Equal(owner, item.GetProperty("owner").GetString());
        Assert.Equal(tag, item.GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task Relation_MissingTarget_Is422NamingTheId()
    {
        using var response = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","owner":"{{MissingId}}"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["owner"], ErrorKeys(problem));
        Assert.Contains(MissingId, problem.Errors("owner")[0], StringComparison.Ordinal);
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Fact]
    public async Task Relation_RecordOfAnotherCollection_Is422()
    {
        var tag = (await _server.CreateAsync("tags", """{"name":"t"}""")).GetProperty("id").GetString()!;

        using var response = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","owner":"{{tag}}"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Contains(tag, problem.Errors("owner")[0], StringComparison.Ordinal);
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Fact]
    public async Task MultipleRelation_DuplicateIds_Is422()
    {
        var tag = (await _server.CreateAsync("tags", """{"name":"t"}""")).GetProperty("id").GetString()!;

        using var exact = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","tags":["{{tag}}","{{tag}}"]}""");
        using var differentCase = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","tags":["{{tag}}","{{tag.ToUpperInvariant()}}"]}""");

        foreach (var response in new[] { exact, differentCase })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
            Assert.Equal(["tags"], ErrorKeys(problem));
            Assert.Contains(tag, problem.Errors("tags")[0], StringComparison.Ordinal);
        }
        Assert.Equal(0, _server.CountRows("items"));
        Assert.Equal(0, _server.CountRows("_sb_rel__items__tags"));
    }

    [Fact]
    public async Task MultipleRelation_MissingIds_Is422NamingEachMissingId()
    {
        var tag = (await _server.CreateAsync("tags", """{"name":"t"}""")).GetProperty("id").GetString()!;
        const string other = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f81";

        using var response = await _server.PostAsync("/api/items", $$"""{"title":"Lamp","tags":["{{MissingId}}","{{tag}}","{{other}}"]}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        var messages = problem.Errors("tags");
        Assert.Equal(2, messages.Length);
        Assert.Contains(messages, m => m.Contains(MissingId, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains(other, StringComparison.Ordinal));
        Assert.Equal(0, _server.CountRows("items"));
    }

    [Fact]
    public async Task Patch_RelationToMissingTarget_Is422AndRelationsUnchanged()
    {
        var tag = (await _server.CreateAsync("tags", """{"name":"t"}""")).GetProperty("id").GetString()!;
        var id = (await _server.CreateAsync("items", $$"""{"title":"Lamp","tags":["{{tag}}"]}""")).GetProperty("id").GetString()!;
        var before = await GetRawAsync(id);

        using var response = await _server.PatchAsync($"/api/items/{id}", $$"""{"tags":["{{MissingId}}"],"owner":"{{MissingId}}"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["owner", "tags"], ErrorKeys(problem));
        Assert.Equal(before, await GetRawAsync(id));
    }

    [Fact]
    public async Task Create_TextWithNulCharacter_Is422InEveryTextLikeField()
    {
        using var response = await _server.PostAsync("/api/items",
            """{"title":"La\u0000mp","email":"a\u0000@example.com","site":"https://example.com/\u0000","secret":"\u0000"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["email", "secret", "site", "title"], ErrorKeys(problem));
        Assert.Equal(0, _server.CountRows("items"));
    }

    // Compared as JSON values: the server may escape non-ASCII characters differently from the request.
    private static void AssertJsonEqual(string expected, JsonElement actual)
    {
        using var document = JsonDocument.Parse(expected);
        Assert.True(JsonElement.DeepEquals(document.RootElement, actual), $"expected {expected}, got {actual.GetRawText()}");
        if (actual.ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(expected, actual.GetRawText());
        }
    }

    private static string WithField(string field, string value) =>
        field == "title" ? $$"""{"title":{{value}}}""" : $$"""{"title":"Lamp","{{field}}":{{value}}}""";

    private static string[] ErrorKeys(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private async Task<string> CreateItemAsync() =>
        (await _server.CreateAsync("items", """{"title":"Lamp","price":2.5,"meta":{"a":[1]}}""")).GetProperty("id").GetString()!;

    private async Task<string> GetRawAsync(string id, string collection = "items")
    {
        using var response = await _server.GetAsync($"/api/{collection}/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private string? ReadColumn(string table, string id, string column) =>
        _server.ReadScalar($"SELECT \"{column}\" FROM \"{table}\" WHERE id = @p0", id) as string;
}

public sealed class FieldValidationTestsOnSqlite : FieldValidationTests<Sqlite>;

public sealed class FieldValidationTestsOnPostgres : FieldValidationTests<Postgres>;
