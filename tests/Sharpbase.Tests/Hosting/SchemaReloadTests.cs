using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Hosting;

/// <summary>
/// The schema file is watched: additive changes (collections, fields, indexes, rules) are migrated and
/// served at once; invalid or destructive changes are refused and the previous schema keeps serving.
/// </summary>
public abstract class SchemaReloadTests<TDatabase> where TDatabase : ITestDatabaseKind
{
    private const string Notes = """
          notes:
            fields:
              text: { type: text, required: true, max: 50 }
            rules: { list: "true", view: "true", create: "true" }
        """;

    private static string BlogWith(string extraCollections) =>
        SharpbaseServer.BlogSchema.Replace("settings:", extraCollections + "\nsettings:", StringComparison.Ordinal);

    private static Task<SharpbaseServer> WatchedAsync() => SharpbaseServer.StartAsync<TDatabase>(configure: options => options.WatchSchema = true);

    private static async Task<HttpResponseMessage> EventuallyAsync(Func<Task<HttpResponseMessage>> request, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var response = await request();
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_collection_added_to_the_file_is_served_without_a_restart()
    {
        await using var server = await WatchedAsync();
        (await server.GetAsync("/api/notes")).EnsureNotFound();

        await server.WriteSchemaAsync(BlogWith(Notes));

        var listed = await EventuallyAsync(() => server.GetAsync("/api/notes"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var created = await server.PostAsync("/api/notes", """{"text":"hello"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tooLong = await server.PostAsync("/api/notes", JsonSerializer.Serialize(new { text = new string('x', 51) }));
        await tooLong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("Schema reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_field_added_to_a_collection_appears_in_its_records_and_list_validators_change()
    {
        await using var server = await WatchedAsync();
        var user = await AuthTestAccounts.UserAsync(server, "users", "writer@example.com");
        var post = await (await server.PostAsync("/api/posts", """{"title":"t","status":"published"}""", user.Bearer)).JsonAsync();
        var id = post.GetProperty("id").GetString();
        var first = await server.GetAsync("/api/posts");
        var etag = first.Headers.ETag!.Tag;

        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace(
            "      published_at: { type: datetime }", "      published_at: { type: datetime }\n      subtitle: { type: text, max: 20 }", StringComparison.Ordinal));

        var patched = await EventuallyAsync(() => server.PatchAsync($"/api/posts/{id}", """{"subtitle":"new"}""", user.Bearer), HttpStatusCode.OK);
        Assert.Equal("new", (await patched.JsonAsync()).GetProperty("subtitle").GetString());
        var again = await server.GetAsync("/api/posts", request => request.Headers.TryAddWithoutValidation("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("t", (await again.JsonAsync()).GetProperty("items")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_changed_rule_applies_to_the_next_request()
    {
        await using var server = await WatchedAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/tags")).StatusCode);

        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("""rules: { list: "true", view: "true" }""", "rules: { view: \"true\" }", StringComparison.Ordinal));

        var denied = await EventuallyAsync(() => server.GetAsync("/api/tags"), HttpStatusCode.Forbidden);
        await denied.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    // An anonymous caller's rule is compiled once and its statement kept prepared: a reload must drop both.
    [Fact]
    public async Task A_changed_condition_in_a_rule_applies_to_the_next_anonymous_request()
    {
        await using var server = await WatchedAsync();
        await server.WriteSchemaAsync(BlogWith(Notes.Replace("list: \"true\"", "list: 'text = \"a\"'", StringComparison.Ordinal)));
        (await EventuallyAsync(() => server.GetAsync("/api/notes"), HttpStatusCode.OK)).Dispose();
        foreach (var text in new[] { "a", "b" })
        {
            using var created = await server.PostAsync("/api/notes", JsonSerializer.Serialize(new { text }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var before = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            before = await TextsAsync(server);
        }

        await server.WriteSchemaAsync(BlogWith(Notes.Replace("list: \"true\"", "list: 'text = \"b\"'", StringComparison.Ordinal)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var after = await TextsAsync(server);
        while (after.SequenceEqual(["a"]) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            after = await TextsAsync(server);
        }

        Assert.Equal(["a"], before);
        Assert.Equal(["b"], after);
    }

    private static async Task<List<string>> TextsAsync(SharpbaseServer server)
    {
        using var response = await server.GetAsync("/api/notes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!)];
    }

    [Fact]
    public async Task An_invalid_file_is_refused_with_the_reason_and_the_previous_schema_keeps_serving()
    {
        await using var server = await WatchedAsync();
        await server.WriteSchemaAsync(BlogWith("""
              notes:
                fields:
                  text: { type: txet }
            """));

        var reload = await server.Runtime.ReloadSchemaAsync(CancellationToken.None);

        Assert.False(reload.Applied);
        Assert.Contains("txet", reload.Reason, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("not applied", StringComparison.Ordinal) && e.Message.Contains("txet", StringComparison.Ordinal));
        (await server.GetAsync("/api/notes")).EnsureNotFound();
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/tags")).StatusCode);

        await server.WriteSchemaAsync(BlogWith(Notes));
        Assert.True((await server.Runtime.ReloadSchemaAsync(CancellationToken.None)).Applied);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/notes")).StatusCode);
    }

    [Fact]
    public async Task A_destructive_change_is_refused_and_no_data_is_lost()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>();
        var superuser = await AuthTestAccounts.SuperuserAsync(server);
        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync("/api/tags", """{"name":"kept"}""", superuser.Bearer)).StatusCode);
        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("      name: { type: text, required: true, unique: true, max: 50 }\n",
            "      label: { type: text }\n", StringComparison.Ordinal));

        var reload = await server.Runtime.ReloadSchemaAsync(CancellationToken.None);

        Assert.False(reload.Applied);
        Assert.Contains("destructive", reload.Reason, StringComparison.Ordinal);
        var tags = await (await server.GetAsync("/api/tags")).JsonAsync();
        Assert.Equal("kept", tags.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_changed_settings_section_is_reported_as_needing_a_restart()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>();
        await server.WriteSchemaAsync(SharpbaseServer.BlogSchema.Replace("limit: 120", "limit: 121", StringComparison.Ordinal));

        Assert.True((await server.Runtime.ReloadSchemaAsync(CancellationToken.None)).Applied);

        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("settings apply at the next start", StringComparison.Ordinal));
    }
}

internal static class NotFoundAssertions
{
    public static void EnsureNotFound(this HttpResponseMessage response) => Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
}

public sealed class SchemaReloadTestsOnSqlite : SchemaReloadTests<Sqlite>;

public sealed class SchemaReloadTestsOnPostgres : SchemaReloadTests<Postgres>;
