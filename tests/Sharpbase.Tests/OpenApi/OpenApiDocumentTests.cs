using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.OpenApi;

/// <summary>The served document on the blog example: its shape, its operations and its security.</summary>
public abstract class OpenApiDocumentTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        using var response = await _server.GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = await response.JsonAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Document_IsOpenApi31_WithEveryCollectionsOperations()
    {
        Assert.StartsWith("3.1.", _document.GetProperty("openapi").GetString());
        var ids = OperationIds().ToList();
        foreach (var expected in new[]
        {
            "listPosts", "createPost", "getPost", "updatePost", "deletePost", "listTags", "createTag", "getTag", "updateTag", "deleteTag",
            "listUsers", "getUser", "batch", "register", "login", "refresh", "logout", "getMe", "changePassword", "forgotPassword", "resetPassword",
            "requestVerification", "verifyEmail", "setupTotp", "enableTotp", "disableTotp", "loginTotp", "createApiKey", "listApiKeys", "revokeApiKey",
            "getJwks", "checkLive", "checkReady", "superuserLogin",
        })
        {
            Assert.Contains(expected, ids);
        }
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryMappedRoute_IsDocumented()
    {
        var paths = _document.GetProperty("paths");
        var missing = new List<string>();
        foreach (var endpoint in _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [];
            var template = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            // The document itself, the docs page, the metrics scrape, GraphQL (described by its own SDL) and routes
            // excluded from descriptions (the 405 guard of /api/batch, HTML pages) are not REST operations.
            if (template.StartsWith("/openapi.", StringComparison.Ordinal) || template.StartsWith("/docs", StringComparison.Ordinal) || template == "/metrics"
                || template.StartsWith("/graphql", StringComparison.Ordinal)
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true)
            {
                continue;
            }
            // HEAD is GET without the body on every GET route (RFC 9110), not an operation of its own.
            foreach (var method in methods.Where(m => !(m == "HEAD" && methods.Contains("GET"))))
            {
                foreach (var collection in template.Contains("{collection}", StringComparison.Ordinal) ? ["users", "posts", "tags"] : new[] { "" })
                {
                    var path = template.Replace("{collection}", collection, StringComparison.Ordinal);
                    if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                    {
                        missing.Add(method + " " + path);
                    }
                }
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void PostSchemas_FollowTheFieldOptions()
    {
        var schemas = _document.GetProperty("components").GetProperty("schemas");
        var post = schemas.GetProperty("Post");
        var title = post.GetProperty("properties").GetProperty("title");
        Assert.Equal("string", title.GetProperty("type").GetString());
        Assert.Equal(200, title.GetProperty("maxLength").GetInt32());
        Assert.Equal(["draft", "published", null], post.GetProperty("properties").GetProperty("status").GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()));
        var views = post.GetProperty("properties").GetProperty("views");
        Assert.Equal("int64", views.GetProperty("format").GetString());
        Assert.Equal(0, views.GetProperty("minimum").GetInt64());
        Assert.True(post.GetProperty("properties").GetProperty("id").GetProperty("readOnly").GetBoolean());
        Assert.Equal("uuid", post.GetProperty("properties").GetProperty("tags").GetProperty("items").GetProperty("format").GetString());
        Assert.False(post.GetProperty("additionalProperties").GetBoolean());

        var create = schemas.GetProperty("PostCreate");
        Assert.Equal(["title"], create.GetProperty("required").EnumerateArray().Select(v => v.GetString()));
        Assert.True(create.GetProperty("properties").GetProperty("author").GetProperty("readOnly").GetBoolean());
        Assert.False(schemas.GetProperty("PostUpdate").TryGetProperty("required", out var required) && required.GetArrayLength() > 0);
        Assert.Equal(200, schemas.GetProperty("PostsList").GetProperty("properties").GetProperty("items").GetProperty("maxItems").GetInt32());
    }

    [Theory]
    [InlineData("/api/tags", "get", true)]
    [InlineData("/api/tags", "post", false)]
    [InlineData("/api/tags/{id}", "delete", false)]
    [InlineData("/api/posts", "post", true)]
    [InlineData("/auth/login", "post", true)]
    [InlineData("/auth/api-keys", "post", false)]
    public void Security_FollowsTheRules(string path, string method, bool anonymousAllowed)
    {
        var security = _document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security");

        Assert.Equal(anonymousAllowed, security.EnumerateArray().Any(requirement => !requirement.EnumerateObject().Any()));
        Assert.Contains(security.EnumerateArray(), requirement => requirement.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public void EveryOperation_DocumentsItsProblemsAndRateLimitHeaders()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "400", "401", "429", "500" })
            {
                Assert.True(responses.TryGetProperty(status, out var problem), $"{method} {path} lacks {status}");
                Assert.Equal("#/components/responses/" + StatusName(status), problem.GetProperty("$ref").GetString());
            }
            foreach (var response in responses.EnumerateObject().Where(r => r.Name.StartsWith('2')))
            {
                Assert.True(response.Value.GetProperty("headers").TryGetProperty("RateLimit", out _), $"{method} {path} {response.Name} lacks RateLimit");
            }
        }
        var problemSchema = _document.GetProperty("components").GetProperty("schemas").GetProperty("Problem");
        Assert.Contains("code", problemSchema.GetProperty("required").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("trace_id", problemSchema.GetProperty("required").EnumerateArray().Select(v => v.GetString()));
        var tooMany = _document.GetProperty("components").GetProperty("responses").GetProperty("TooManyRequests");
        Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(tooMany.GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public void ConditionalOperations_Document304And412()
    {
        var item = _document.GetProperty("paths").GetProperty("/api/posts/{id}");
        Assert.True(item.GetProperty("get").GetProperty("responses").TryGetProperty("304", out _));
        Assert.True(item.GetProperty("patch").GetProperty("responses").TryGetProperty("412", out _));
        Assert.True(item.GetProperty("delete").GetProperty("responses").TryGetProperty("412", out _));
        Assert.Contains(item.GetProperty("patch").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match");
        Assert.Contains(_document.GetProperty("paths").GetProperty("/api/posts").GetProperty("post").GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key");
    }

    [Fact]
    public async Task Document_HasAnETag_AndAnswers304ToIt()
    {
        using var first = await _server.GetAsync("/openapi.json");
        var etag = first.Headers.ETag!.Tag;
        using var again = await _server.GetAsync("/openapi.json", r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        using var yaml = await _server.GetAsync("/openapi.yaml");

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, yaml.StatusCode);
        Assert.NotEqual(etag, yaml.Headers.ETag!.Tag);
        Assert.StartsWith("openapi: '3.1.", await yaml.Content.ReadAsStringAsync());
    }

    [Fact]
    public void DocumentedExamples_AreOurs()
    {
        var post = _document.GetProperty("paths").GetProperty("/api/posts").GetProperty("post");
        var example = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("title", example.GetProperty("title").GetString());
        Assert.False(example.TryGetProperty("author", out _));
    }

    private IEnumerable<string> OperationIds() => Operations().Select(o => o.Operation.GetProperty("operationId").GetString()!);

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        _document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    private static string StatusName(string status) => status switch
    {
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "429" => "TooManyRequests",
        _ => "InternalError",
    };
}

public sealed class OpenApiDocumentTestsOnSqlite : OpenApiDocumentTests<Sqlite>;

public sealed class OpenApiDocumentTestsOnPostgres : OpenApiDocumentTests<Postgres>;
