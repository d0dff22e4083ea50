using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Rules;

namespace Sharpbase.Tests.GraphQL;

/// <summary>GraphQL over HTTP: methods, media types, status codes, limits, batching, SDL and the explorer page.</summary>
public abstract class GraphQLTransportTests<TDatabase>(BlogRulesServer<TDatabase> fixture) : IClassFixture<BlogRulesServer<TDatabase>> where TDatabase : ITestDatabaseKind
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await fixture.Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Responses.AssertNoLeak(text);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Get_Query_Answers200WithGraphQLResponseMediaType()
    {
        using var response = await fixture.Server.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ tags(limit: 1) { items { id } } }"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("data").TryGetProperty("tags", out _));
    }

    [Fact]
    public async Task Get_Mutation_405AllowPostAndNothingWritten()
    {
        var before = fixture.Server.CountRows("tags");

        using var response = await fixture.Server.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { createTag(data: {name: \"via-get\"}) { id } }"), fixture.Root.Bearer);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal(["method_not_allowed"], GraphQLClient.Codes(await response.JsonAsync()));
        Assert.Equal(before, fixture.Server.CountRows("tags"));
    }

    [Fact]
    public async Task Post_MutationWithIdempotencyKey_400AndNothingWritten_QueryWithItAnswered()
    {
        var before = fixture.Server.CountRows("tags");
        using var mutation = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json("""{"query":"mutation { createTag(data: {name: \"keyed\"}) { id } }"}""") };
        fixture.Root.Bearer(mutation);
        mutation.Headers.TryAddWithoutValidation("Idempotency-Key", "gql-1");
        using var query = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json("""{"query":"{ __typename }"}""") };
        query.Headers.TryAddWithoutValidation("Idempotency-Key", "gql-2");

        var (mutationStatus, mutationBody) = await SendAsync(mutation);
        var (queryStatus, _) = await SendAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, mutationStatus);
        Assert.Equal(["bad_request"], GraphQLClient.Codes(mutationBody));
        Assert.Equal(before, fixture.Server.CountRows("tags"));
        Assert.Equal(HttpStatusCode.OK, queryStatus);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task Subscription_400BadRequestWithoutData(string method)
    {
        const string Query = "subscription { posts { items { id } } }";
        using var request = method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(Query))
            : new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json($$"""{"query":"{{Query}}"}""") };

        var (status, body) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["bad_request"], GraphQLClient.Codes(body));
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Post_WrongContentType_415(string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json("""{"query":"{ __typename }"}""", mediaType) };

        var (status, body) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(["unsupported_media_type"], GraphQLClient.Codes(body));
    }

    [Theory]
    [InlineData("""{"query":"{ posts { items { id } "}""", "bad_request")]
    [InlineData("""{"query": 5}""", "bad_request")]
    [InlineData("""{"query":"{ __typename }", "nope": 1}""", "bad_request")]
    [InlineData("""{"query":"{ __typename }" """, "malformed_json")]
    public async Task Post_Unparseable_400(string json, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json(json) };

        var (status, body) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([code], GraphQLClient.Codes(body));
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Theory]
    [InlineData("{ nope }")]
    [InlineData("{ posts(limit: \"x\") { items { id } } }")]
    [InlineData("query($n: Int!) { posts(limit: $n) { items { id } } }")]
    [InlineData("{ __schema { types { name } } }")]
    public async Task Post_Invalid_422WithoutData(string query)
    {
        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, query);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.NotEmpty(body.GetProperty("errors").EnumerateArray());
    }

    public static TheoryData<string, string> Abusive => new()
    {
        { "depth", "{ posts { items { author { posts { author { posts { author { posts { author { posts { author { id } } } } } } } } } } } }" },
        { "aliases", "{ " + string.Join(" ", Enumerable.Range(0, 31).Select(i => $"a{i}: __typename")) + " }" },
        { "fields", "{ tags { items { ...F } } } fragment F on Tag { " + string.Join(" ", Enumerable.Range(0, 3).Select(_ => "id name created_at")) + " ...G } fragment G on Tag { "
            + string.Join(" ", Enumerable.Range(0, 600).Select(_ => "id")) + " }" },
        { "fragment bomb", "{ tags { items { ...F0 } } } " + string.Join(" ", Enumerable.Range(0, 20).Select(i => $"fragment F{i} on Tag {{ id ...F{i + 1} ...F{i + 1} }}")) + " fragment F20 on Tag { id }" },
        { "circular", "{ tags { items { ...A } } } fragment A on Tag { id ...B } fragment B on Tag { name ...A }" },
    };

    [Theory]
    [MemberData(nameof(Abusive))]
    public async Task Post_AbusiveDocument_RefusedBeforeExecution(string limit, string query)
    {
        using var recorder = new SqlRecorder(fixture.Server.DatabasePath);

        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, query);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{limit}: {(int)status} {body}");
        Assert.Equal(["limit_exceeded"], GraphQLClient.Codes(body));
        Assert.Empty(recorder.Statements);
    }

    [Fact]
    public async Task Post_OversizeDocument_413()
    {
        var (status, body) = await GraphQLClient.PostAsync(fixture.Server, "{ __typename " + new string(' ', 40_000) + "}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(["body_too_large"], GraphQLClient.Codes(body));
    }

    // The batch array is the transport's envelope, like REST's /api/batch: more requests than
    // max_batch is a malformed request (400 bad_request), not a document over a limit (422).
    [Fact]
    public async Task Post_Batch_TenAnsweredEachElevenRefusedWholeWith400()
    {
        var one = new { query = "{ tags(limit: 1) { items { id } } }" };
        using var ten = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json(JsonSerializer.Serialize(Enumerable.Repeat(one, 10))) };
        using var eleven = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = GraphQLClient.Json(JsonSerializer.Serialize(Enumerable.Repeat(one, 11))) };

        using var recorder = new SqlRecorder(fixture.Server.DatabaseLocation);
        var (tenStatus, tenBody) = await SendAsync(ten);
        var tenStatements = recorder.Statements.Count;
        recorder.Clear();
        using var response = await fixture.Server.Client.SendAsync(eleven);
        var refused = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, tenStatus);
        Assert.Equal(10, tenBody.GetArrayLength());
        Assert.All(tenBody.EnumerateArray(), r => Assert.False(r.TryGetProperty("errors", out _), r.ToString()));
        Assert.Equal(10, tenStatements);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, refused.ValueKind);
        Assert.False(refused.TryGetProperty("data", out _));
        var error = Assert.Single(refused.GetProperty("errors").EnumerateArray());
        Assert.Equal("a batch holds 1 to 10 requests", error.GetProperty("message").GetString());
        Assert.Equal("bad_request", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Empty(recorder.Statements);
    }

    [Fact]
    public async Task Get_BrowserAsksForHtml_SelfContainedExplorerPage()
    {
        using var response = await fixture.Server.GetAsync("/graphql", r => r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("graphiql.min.js", "text/javascript")]
    [InlineData("graphiql.min.css", "text/css")]
    [InlineData("react.production.min.js", "text/javascript")]
    [InlineData("react-dom.production.min.js", "text/javascript")]
    public async Task ExplorerAssets_ServedFromTheAssemblyAndCachedForAYear(string file, string mediaType)
    {
        using var response = await fixture.Server.GetAsync("/graphql/assets/3.8.3/" + file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    [InlineData("gzip;q=1, br;q=0")]
    public async Task ExplorerAssets_CompressedWhenAccepted_SameBytesOnceDecoded(string acceptEncoding)
    {
        using var plain = await fixture.Server.GetAsync("/graphql/assets/3.8.3/graphiql.min.js");
        using var compressed = await fixture.Server.GetAsync("/graphql/assets/3.8.3/graphiql.min.js", r => r.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding));

        var original = await plain.Content.ReadAsByteArrayAsync();
        var encoded = await compressed.Content.ReadAsByteArrayAsync();
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        var encoding = Assert.Single(compressed.Content.Headers.ContentEncoding);
        Assert.Equal(acceptEncoding.StartsWith("br", StringComparison.Ordinal) ? "br" : "gzip", encoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.NotEqual(plain.Headers.ETag, compressed.Headers.ETag);
        Assert.True(encoded.Length < original.Length / 3, $"{encoded.Length} of {original.Length} bytes");
        using var input = new MemoryStream(encoded);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);
        Assert.Equal(original, decoded.ToArray());
    }

    [Theory]
    [InlineData("/graphql/assets/3.8.3/explorer.html")]
    [InlineData("/graphql/assets/3.8.3/..%2Fexplorer.html")]
    [InlineData("/graphql/assets/1.0.0/graphiql.min.js")]
    public async Task ExplorerAssets_AnythingElse_404(string path)
    {
        using var response = await fixture.Server.GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Sdl_ProductionMode_NotPublished()
    {
        using var response = await fixture.Server.GetAsync("/graphql/schema.graphql");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Put_405WithAllow()
    {
        using var response = await fixture.Server.SendAsync(HttpMethod.Put, "/graphql", """{"query":"{ __typename }"}""");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
    }
}

public sealed class GraphQLTransportTestsOnSqlite(BlogRulesServer<Sqlite> fixture) : GraphQLTransportTests<Sqlite>(fixture);

public sealed class GraphQLTransportTestsOnPostgres(BlogRulesServer<Postgres> fixture) : GraphQLTransportTests<Postgres>(fixture);
