using System.Net;
using System.Text;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

/// <summary>
/// Hostile request bodies on every write route (POST, PATCH, and both inside POST /api/batch):
/// each is a problem with the right status and code, leaks nothing, and writes nothing.
/// </summary>
public abstract class HostileBodyTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const int MaxBodyBytes = 1024 * 1024;

    private static readonly string[] Targets = ["post", "patch", "batch-post", "batch-patch"];

    private SharpbaseServer _server = null!;
    private string _id = null!;
    private string _before = null!;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);
        _id = (await _server.CreateAsync("items", """{"title":"Seed","meta":{"a":1}}""")).GetProperty("id").GetString()!;
        _before = await SeedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Bodies that are not one valid JSON document, or that JSON forbids here.</summary>
    public static IEnumerable<string> MalformedBodies =>
    [
        "",
        "   \n\t ",
        """{"title":"Lamp" """,
        """{"title":}""",
        """{title:"Lamp"}""",
        """{'title':'Lamp'}""",
        """{"title":"Lamp",}""",
        """/* comment */ {"title":"Lamp"}""",
        """{"title":"Lamp"} // comment""",
        // trailing garbage
        """{"title":"Lamp"} x""",
        """{}{}""",
        """{"title":"Lamp"} []""",
        """{"title":"Lamp"}""" + "\u0000",
        // NaN and infinities, anywhere
        """{"title":"Lamp","price":NaN}""",
        """{"title":"Lamp","price":Infinity}""",
        """{"title":"Lamp","price":-Infinity}""",
        """{"title":"Lamp","meta":[NaN]}""",
        // numbers JSON does not have
        """{"title":"Lamp","count":01}""",
        """{"title":"Lamp","count":+1}""",
        """{"title":"Lamp","price":.5}""",
        """{"title":"Lamp","count":0x10}""",
        // strings JSON does not have
        """{"title":"La\xmp"}""",
        """{"title":"La\u12"}""",
        "{\"title\":\"La\tmp\"}",
        "{\"title\":\"La\nmp\"}",
        // duplicate keys, also nested inside a json field and spelled with an escape
        """{"title":"Lamp","title":"Desk"}""",
        """{"title":"Lamp","ti\u0074le":"Desk"}""",
        """{"title":"Lamp","meta":{"a":1,"a":2}}""",
        """{"title":"Lamp","meta":[{"a":1},{"b":1,"b":1}]}""",
        """{"title":"Lamp","meta":{"x":{"y":{"a":null,"a":null}}}}""",
        // lone surrogates, in values and in names
        """{"title":"\ud800ab"}""",
        """{"title":"ab\udc00"}""",
        """{"title":"\ud800\u0041b"}""",
        """{"\ud800":"x","title":"Lamp"}""",
        """{"title":"Lamp","meta":"\udbff"}""",
        """{"title":"Lamp","meta":{"\udfff":1}}""",
        // nesting deeper than 32
        """{"title":"Lamp","meta":""" + new string('[', 32) + new string(']', 32) + "}",
        """{"title":"Lamp","meta":""" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40) + "}",
        """{"title":"Lamp","meta":""" + new string('[', 100_000) + new string(']', 100_000) + "}",
    ];

    public static TheoryData<string, string> MalformedCases => Cross(MalformedBodies);

    /// <summary>Byte sequences that are not UTF-8 (or not the shortest UTF-8), put inside a body.</summary>
    public static IEnumerable<string> InvalidUtf8 =>
    [
        "C3 28",
        "C0 AF",
        "C1 BF",
        "E0 80 AF",
        "F0 80 80 AF",
        "ED A0 80",
        "ED BF BF",
        "F4 90 80 80",
        "F8 88 80 80 80",
        "FF",
        "FE",
        "80",
        "E2 82",
    ];

    public static TheoryData<string, string> InvalidUtf8Cases => Cross(InvalidUtf8);

    public static TheoryData<string, string> NonObjectCases => Cross(["[]", "[{\"title\":\"Lamp\"}]", "\"Lamp\"", "1", "null", "true"]);

    public static TheoryData<string, string?> WrongContentTypeCases => Cross<string?>(
    [
        null,
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/json",
        "application/jsonx",
        "application/json; charset=latin1",
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-16",
        "*/*",
        "application",
        "json",
    ]);

    public static TheoryData<string, string> AcceptedContentTypeCases => Cross(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "APPLICATION/JSON",
        "application/merge-patch+json",
    ]);

    public static TheoryData<string, bool> TooLargeCases
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var target in Targets)
            {
                data.Add(target, false);
                data.Add(target, true);
            }
            return data;
        }
    }

    public static TheoryData<string> TargetCases => [.. Targets];

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task Write_MalformedJson_Is400MalformedJsonAndWritesNothing(string target, string body)
    {
        using var response = await SendAsync(target, Encoding.UTF8.GetBytes(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8Cases))]
    public async Task Write_InvalidUtf8InValueNameOrJsonField_Is400MalformedJson(string target, string hex)
    {
        var bad = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        byte[][] bodies =
        [
            [.. "{\"title\":\"La"u8, .. bad, .. "mp\"}"u8],
            [.. "{\"title\":\"Lamp\",\"ti"u8, .. bad, .. "\":1}"u8],
            [.. "{\"title\":\"Lamp\",\"meta\":{\"a\":[\""u8, .. bad, .. "\"]}}"u8],
        ];

        foreach (var body in bodies)
        {
            using var response = await SendAsync(target, body);

            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        }
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Write_MalformedJson_DetailGivesLineAndColumn(string target)
    {
        var body = "{\n  \"title\": \"Lamp\",\n  \"price\": ,\n  \"count\": 1\n}";

        using var response = await SendAsync(target, Encoding.UTF8.GetBytes(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        var detail = problem.GetProperty("detail").GetString()!;
        // Inside a batch the body is wrapped on the first line, so only the single routes know the line.
        Assert.Matches(target.StartsWith("batch", StringComparison.Ordinal) ? "line [0-9]+, column [0-9]+" : "line 3, column 1[0-9]", detail);
        Assert.DoesNotContain("LineNumber", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", detail, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(NonObjectCases))]
    public async Task Write_BodyNotAnObject_Is422SayingSoInTheDetail(string target, string body)
    {
        using var response = await SendAsync(target, Encoding.UTF8.GetBytes(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.EndsWith("the record is not valid: the body must be a JSON object", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("errors", out _));
        if (target.StartsWith("batch", StringComparison.Ordinal))
        {
            Assert.Equal(0, problem.GetProperty("index").GetInt32());
        }
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"requests\"")]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("""{"requests":{}}""")]
    [InlineData("""{"requests":[],"extra":1}""")]
    public async Task Batch_TopLevelNotABatchObject_Is400(string body)
    {
        using var response = await SendRawAsync(HttpMethod.Post, "/api/batch", Encoding.UTF8.GetBytes(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(WrongContentTypeCases))]
    public async Task Write_WrongContentType_Is415AndWritesNothing(string target, string? contentType)
    {
        using var response = await SendAsync(target, """{"title":"Lamp"}"""u8.ToArray(), contentType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(AcceptedContentTypeCases))]
    public async Task Write_JsonContentTypeVariants_AreAccepted(string target, string contentType)
    {
        using var response = await SendAsync(target, """{"title":"Lamp"}"""u8.ToArray(), contentType);

        var text = await response.Content.ReadAsStringAsync();
        var expected = target == "post" ? HttpStatusCode.Created : HttpStatusCode.OK;
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
    }

    [Theory]
    [MemberData(nameof(TooLargeCases))]
    public async Task Write_BodyOverOneMebibyte_Is413WithOrWithoutContentLength(string target, bool chunked)
    {
        var body = PaddedBody(target, MaxBodyBytes + 1);

        using var response = await SendAsync(target, body, chunked: chunked);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("post", false)]
    [InlineData("post", true)]
    [InlineData("batch-post", true)]
    public async Task Write_BodyOfExactlyOneMebibyte_IsAccepted(string target, bool chunked)
    {
        var body = PaddedBody(target, MaxBodyBytes);

        using var response = await SendAsync(target, body, chunked: chunked);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"got {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        Assert.Equal(2, _server.CountRows("items"));
    }

    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Write_EmptyChunkedBody_Is400(string target)
    {
        var url = target.StartsWith("batch", StringComparison.Ordinal) ? "/api/batch" : target == "post" ? "/api/items" : $"/api/items/{_id}";
        var method = target == "patch" ? HttpMethod.Patch : HttpMethod.Post;

        using var response = await SendRawAsync(method, url, [], chunked: true);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Write_DepthOf32_IsAccepted(string target)
    {
        // The root object is level 1; a batch wraps the body in three more levels.
        var arrays = target.StartsWith("batch", StringComparison.Ordinal) ? 28 : 31;
        var body = """{"title":"Lamp","meta":""" + new string('[', arrays) + new string(']', arrays) + "}";

        using var response = await SendAsync(target, Encoding.UTF8.GetBytes(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"got {(int)response.StatusCode}: {text}");
    }

    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Write_TenThousandUnknownKeys_Is422WithBoundedResponse(string target)
    {
        var body = "{" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"\"k{i}\":{i}")) + "}";

        using var response = await SendAsync(target, Encoding.UTF8.GetBytes(body));

        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is not a field of items"], problem.Errors("k0"));
        Assert.EndsWith("the record is not valid: 9980 more fields are not fields of items; see errors for each field", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, problem.GetProperty("errors").EnumerateObject().Count(p => p.Name.StartsWith('k')));
        Assert.True(text.Length < 16 * 1024, $"a 10,000-key body was answered with {text.Length} characters");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Write_VeryLongFieldNames_AreEchoedBounded(string target)
    {
        var ascii = new string('a', 100_000);
        var emoji = new string('b', 63) + string.Concat(Enumerable.Repeat("😀", 5_000));
        var body = $$"""{"{{ascii}}":1,"{{emoji}}":2,"title":"Lamp"}""";

        using var response = await SendAsync(target, Encoding.UTF8.GetBytes(body));

        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        var keys = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, key => Assert.InRange(key.EnumerateRunes().Count(), 1, 65));
        Assert.All(keys, key => Assert.True(IsWellFormed(key), "an error key holds a broken surrogate pair"));
        Assert.All(keys, key => Assert.True(key.EndsWith('…') && (ascii.StartsWith(key[..^1], StringComparison.Ordinal) || emoji.StartsWith(key[..^1], StringComparison.Ordinal)),
            $"'{key}' is not a cut-short prefix of a name sent"));
        Assert.True(text.Length < 2048, $"long names were answered with {text.Length} characters");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("'; DROP TABLE items; --")]
    [InlineData("Robert'); DROP TABLE owners;--")]
    [InlineData("\" OR \"1\"=\"1")]
    [InlineData("1; DELETE FROM items")]
    [InlineData("\\'; --")]
    [InlineData("%' OR 1=1 --")]
    public async Task Create_SqlInjectionStrings_AreStoredVerbatimAndTablesSurvive(string value)
    {
        var json = JsonSerializer.Serialize(value);

        var owner = await _server.CreateAsync("owners", $$"""{"name":{{json}}}""");
        var item = await _server.CreateAsync("items", $$$"""{"title":"Lamp","meta":{"q":{{{json}}}}}""");
        using var get = await _server.GetAsync($"/api/owners/{owner.GetProperty("id")}");

        Assert.Equal(value, owner.GetProperty("name").GetString());
        Assert.Equal(value, (await get.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal(value, item.GetProperty("meta").GetProperty("q").GetString());
        Assert.Equal(2, _server.CountRows("items"));
        Assert.Equal(1, _server.CountRows("owners"));
    }

    [Theory]
    [InlineData("name\"; DROP TABLE owners; --")]
    [InlineData("name) VALUES ('x'); DROP TABLE owners; --")]
    [InlineData("\"name\"")]
    [InlineData("name`")]
    public async Task Create_SqlInjectionInFieldName_IsUnknownFieldAndTablesSurvive(string name)
    {
        var body = $$"""{"name":"Ann",{{JsonSerializer.Serialize(name)}}:"x"}""";

        using var response = await _server.PostAsync("/api/owners", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is not a field of owners"], problem.Errors(name));
        Assert.Equal(0, _server.CountRows("owners"));
        Assert.Equal(1, _server.CountRows("items"));
    }

    [Theory]
    [InlineData("t\u0456tle")] // Cyrillic і
    [InlineData("\u0442itle")] // Cyrillic т
    [InlineData("t\u0131tle")] // dotless ı
    [InlineData("\uff54\uff49\uff54\uff4c\uff45")] // full-width
    [InlineData("title\u200b")] // zero-width space
    [InlineData("\u200dtitle")] // zero-width joiner
    [InlineData("TITLE")]
    [InlineData("title\u0000")]
    public async Task Write_LookAlikeFieldName_IsUnknownField(string name)
    {
        var nameJson = JsonSerializer.Serialize(name);

        using var create = await _server.PostAsync("/api/items", $$"""{{{nameJson}}:"Lamp"}""");
        using var patch = await _server.PatchAsync($"/api/items/{_id}", $$"""{{{nameJson}}:"Lamp"}""");

        var createProblem = await create.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is not a field of items"], createProblem.Errors(name));
        Assert.Equal(["is required"], createProblem.Errors("title"));
        var patchProblem = await patch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is not a field of items"], patchProblem.Errors(name));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Create_EscapedSpellingOfRealName_IsThatField()
    {
        var created = await _server.CreateAsync("items", """{"ti\u0074le":"L\u00e4mp"}""");

        Assert.Equal("Lämp", created.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Batch_HostileSecondRequest_WritesNothingFromTheFirst()
    {
        var body = $$$"""
            {"requests":[
              {"method":"POST","url":"/api/items","body":{"title":"First"}},
              {"method":"PATCH","url":"/api/items/{{{_id}}}","body":{"title":"Changed"}},
              {"method":"POST","url":"/api/items","body":{"title":"Lamp","t\u0456tle":"x"}}
            ]}
            """;

        using var response = await SendRawAsync(HttpMethod.Post, "/api/batch", Encoding.UTF8.GetBytes(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(2, problem.GetProperty("index").GetInt32());
        Assert.Equal(["is not a field of items"], problem.Errors("t\u0456tle"));
        await AssertNothingWrittenAsync();
    }

    private static TheoryData<string, T> Cross<T>(IEnumerable<T> values)
    {
        var data = new TheoryData<string, T>();
        foreach (var target in Targets)
        {
            foreach (var value in values)
            {
                data.Add(target, value);
            }
        }
        return data;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i])))
            {
                return false;
            }
            if (char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
            {
                return false;
            }
        }
        return true;
    }

    // A valid create or patch body that is exactly `size` bytes once the target has wrapped it.
    private byte[] PaddedBody(string target, int size)
    {
        var overhead = Wrap(target, """{"title":"Lamp","meta":""}"""u8.ToArray()).Length;
        var padding = new string('x', size - overhead);
        var body = Encoding.UTF8.GetBytes($$"""{"title":"Lamp","meta":"{{padding}}"}""");
        Assert.Equal(size, Wrap(target, body).Length);
        return body;
    }

    private byte[] Wrap(string target, byte[] body) => target switch
    {
        "batch-post" => [.. """{"requests":[{"method":"POST","url":"/api/items","body":"""u8, .. body, .. "}]}"u8],
        "batch-patch" => [.. Encoding.UTF8.GetBytes($$"""{"requests":[{"method":"PATCH","url":"/api/items/{{_id}}","body":"""), .. body, .. "}]}"u8],
        _ => body,
    };

    private Task<HttpResponseMessage> SendAsync(string target, byte[] body, string? contentType = "application/json", bool chunked = false)
    {
        var (method, url) = target switch
        {
            "post" => (HttpMethod.Post, "/api/items"),
            "patch" => (HttpMethod.Patch, $"/api/items/{_id}"),
            _ => (HttpMethod.Post, "/api/batch"),
        };
        return SendRawAsync(method, url, Wrap(target, body), contentType, chunked);
    }

    private Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, byte[] body, string? contentType = "application/json", bool chunked = false)
    {
        var request = new HttpRequestMessage(method, url)
        {
            // A stream of unknown length goes out with Transfer-Encoding: chunked.
            Content = chunked ? new StreamContent(new UnknownLengthStream(body)) : new ByteArrayContent(body),
        };
        if (contentType is not null)
        {
            Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        }
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        return _server.Client.SendAsync(request);
    }

    private async Task<string> SeedAsync()
    {
        using var response = await _server.GetAsync($"/api/items/{_id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task AssertNothingWrittenAsync()
    {
        Assert.Equal(1, _server.CountRows("items"));
        Assert.Equal(_before, await SeedAsync());
    }

    /// <summary>A read-only stream that does not know its length, so HttpClient must send it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}

public sealed class HostileBodyTestsOnSqlite : HostileBodyTests<Sqlite>;

public sealed class HostileBodyTestsOnPostgres : HostileBodyTests<Postgres>;
