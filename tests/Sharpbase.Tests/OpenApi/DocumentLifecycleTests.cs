using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sharpbase.OpenApi;
using Sharpbase.Records;
using Sharpbase.Schema;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.OpenApi;

/// <summary>The document follows the schema served: a snapshot for the blog example, a new document when the schema changes.</summary>
public abstract class DocumentLifecycleTests<TDatabase> where TDatabase : ITestDatabaseKind
{
    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string SnapshotPath = Path.Combine(SourceDirectory(), "Snapshots", "blog.openapi.json");

    [Fact]
    public async Task BlogDocument_MatchesTheSnapshot()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        using var response = await server.GetAsync("/openapi.json");
        var actual = Indented(await response.Content.ReadAsStringAsync());

        // To accept a deliberate change: SHARPBASE_UPDATE_SNAPSHOTS=1 dotnet test --filter BlogDocument_MatchesTheSnapshot
        if (Environment.GetEnvironmentVariable("SHARPBASE_UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, actual);
        }
        var expected = await File.ReadAllTextAsync(SnapshotPath);
        if (expected != actual)
        {
            await File.WriteAllTextAsync(SnapshotPath + ".received", actual);
        }
        Assert.True(expected == actual, $"the document differs from {SnapshotPath}; the served one is in {SnapshotPath}.received");
    }

    [Fact]
    public async Task ChangedSchema_IsServedAsANewDocument()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        using var before = await server.GetAsync("/openapi.json");
        var beforeTag = before.Headers.ETag!.Tag;

        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("collections:\n", "collections:\n  notes:\n    fields:\n      text: { type: text, max: 500 }\n    rules: { list: \"true\" }\n", StringComparison.Ordinal));
        await server.RestartAsync(dev: false);
        using var after = await server.GetAsync("/openapi.json", r => r.Headers.TryAddWithoutValidation("If-None-Match", beforeTag));
        var document = await after.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(beforeTag, after.Headers.ETag!.Tag);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/notes", out _));
        Assert.Equal(500, document.GetProperty("components").GetProperty("schemas").GetProperty("Note").GetProperty("properties").GetProperty("text").GetProperty("maxLength").GetInt32());
    }

    [Fact]
    public async Task LiveReload_ServesTheNewDocument_WithoutARestart()
    {
        await using var server = await SharpbaseServer.StartAsync(configure: options => options.WatchSchema = true);
        using var before = await server.GetAsync("/openapi.json");
        var beforeTag = before.Headers.ETag!.Tag;

        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("settings:", "  notes:\n    fields:\n      text: { type: text, max: 50 }\n    rules: { list: \"true\" }\nsettings:", StringComparison.Ordinal));
        JsonElement document = default;
        string? afterTag = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            using var response = await server.GetAsync("/openapi.json", r => r.Headers.TryAddWithoutValidation("If-None-Match", beforeTag));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                afterTag = response.Headers.ETag!.Tag;
                document = await response.JsonAsync();
                break;
            }
        }

        Assert.NotNull(afterTag);
        Assert.NotEqual(beforeTag, afterTag);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/notes", out _));
        Assert.Equal("listNotes", document.GetProperty("paths").GetProperty("/api/notes").GetProperty("get").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task Cache_BuildsOncePerSchemaObject()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        var cache = server.Services.GetRequiredService<OpenApiDocumentCache>();
        var options = new RecordsOptions();
        var schema = server.Runtime.Engine.Schema;
        var reloaded = SchemaLoader.Load(server.SchemaPath).Schema!;

        var first = cache.Get(schema, options);
        var same = cache.Get(schema, options);
        var other = cache.Get(reloaded, options);

        Assert.Same(first, same);
        Assert.NotSame(first, other);
        Assert.Equal(first.ETag, other.ETag);
    }

    [Fact]
    public async Task DocsPage_IsServedFromThisServerOnly()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        using var page = await server.GetAsync("/docs/");
        var html = await page.Content.ReadAsStringAsync();
        using var script = await server.GetAsync("/docs/scalar.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Theory]
    [InlineData("/openapi.json")]
    [InlineData("/openapi.yaml")]
    [InlineData("/docs/")]
    [InlineData("/docs/scalar.js")]
    public async Task Docs_SwitchedOff_Answer404Problem(string path)
    {
        var schema = SharpbaseServer.BlogSchema.Replace("settings:", "settings:\n  docs: { enabled: false }", StringComparison.Ordinal);
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(schema, dev: false);

        using var response = await server.GetAsync(path);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Contains("settings.docs.enabled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var graphql = await server.PostAsync("/graphql", """{"query":"{ __typename }"}""");
        Assert.Equal(HttpStatusCode.OK, graphql.StatusCode);
    }

    [Fact]
    public async Task Docs_ByDefault_AreServedInProduction()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);

        using var json = await server.GetAsync("/openapi.json");
        using var yaml = await server.GetAsync("/openapi.yaml");
        using var page = await server.GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(HttpStatusCode.OK, yaml.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private static string Indented(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Readable) + "\n";
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

public sealed class DocumentLifecycleTestsOnSqlite : DocumentLifecycleTests<Sqlite>;

public sealed class DocumentLifecycleTestsOnPostgres : DocumentLifecycleTests<Postgres>;
