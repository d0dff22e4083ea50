using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.GraphQL;

/// <summary>The generated schema in development mode: SDL snapshot, introspection, suggestions, and rebuild on a schema reload.</summary>
public sealed class GraphQLSchemaTests
{
    private static string SnapshotPath => Snapshot();

    private static string Snapshot([System.Runtime.CompilerServices.CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Snapshots", "blog.graphql");

    [Fact]
    public async Task Sdl_BlogExample_MatchesSnapshot()
    {
        await using var server = await SharpbaseServer.StartAsync();

        using var response = await server.GetAsync("/graphql/schema.graphql");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sdl = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n");
        // SHARPBASE_UPDATE_SNAPSHOTS=1 rewrites the snapshot in the source tree, for review in the diff.
        if (Environment.GetEnvironmentVariable("SHARPBASE_UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, sdl);
        }
        Assert.Equal((await File.ReadAllTextAsync(SnapshotPath)).ReplaceLineEndings("\n"), sdl);
        Assert.DoesNotContain("password", sdl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Introspection_DevMode_AnsweredWithSuggestions()
    {
        await using var server = await SharpbaseServer.StartAsync();

        var data = await GraphQLClient.DataAsync(server, "{ __type(name: \"Post\") { fields { name } } }");
        var (status, body) = await GraphQLClient.PostAsync(server, "{ posts { items { titel } } }");

        Assert.Contains(data.GetProperty("__type").GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "tags");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("Did you mean", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaReload_NewCollection_AppearsInGraphQL()
    {
        await using var server = await SharpbaseServer.StartAsync(configure: options => options.WatchSchema = true);
        var (before, _) = await GraphQLClient.PostAsync(server, "{ notes { items { id } } }");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, before);

        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("settings:", """
              notes:
                fields:
                  text: { type: text, required: true, max: 50 }
                rules: { list: "true", view: "true", create: "true" }
            settings:
            """, StringComparison.Ordinal));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var status = before;
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            (status, _) = await GraphQLClient.PostAsync(server, "{ notes { items { id } } }");
        }
        Assert.Equal(HttpStatusCode.OK, status);
        var created = await GraphQLClient.DataAsync(server, "mutation { createNote(data: {text: \"hello\"}) { text } }");
        Assert.Equal("hello", created.GetProperty("createNote").GetProperty("text").GetString());
    }

    [Fact]
    public async Task SchemaReload_FieldHidden_KeptDocumentValidatedAgainstTheNewSchema()
    {
        const string Notes = """
              notes:
                fields:
                  text: { type: text, required: true, max: 50 }
                rules: { list: "true", view: "true", create: "true" }
            settings:
            """;
        await using var server = await SharpbaseServer.StartAsync(SharpbaseServer.BlogSchema.Replace("settings:", Notes, StringComparison.Ordinal), configure: options => options.WatchSchema = true);
        const string Query = "{ notes { items { text } } }";
        await GraphQLClient.DataAsync(server, Query);
        await GraphQLClient.DataAsync(server, Query);

        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("settings:", Notes.Replace("max: 50 }", "max: 50, hidden: true }", StringComparison.Ordinal), StringComparison.Ordinal));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            (status, _) = await GraphQLClient.PostAsync(server, Query);
        }
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }

    [Fact]
    public async Task Settings_GraphQLSection_OverridesModeDefaultsAndLimits()
    {
        await using var server = await SharpbaseServer.StartAsync(SharpbaseServer.BlogSchema.Replace("settings:", "settings:\n  graphql: { introspection: false, max_depth: 3 }", StringComparison.Ordinal));

        var (introspection, _) = await GraphQLClient.PostAsync(server, "{ __schema { queryType { name } } }");
        var (shallow, _) = await GraphQLClient.PostAsync(server, "{ tags { items { id } } }");
        var (deep, body) = await GraphQLClient.PostAsync(server, "{ tags { items { posts { id } } } }");
        using var sdl = await server.GetAsync("/graphql/schema.graphql");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, introspection);
        Assert.Equal(HttpStatusCode.OK, shallow);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, deep);
        Assert.Equal(["limit_exceeded"], GraphQLClient.Codes(body));
        Assert.Equal(HttpStatusCode.NotFound, sdl.StatusCode);
    }
}
