using System.Net;
using System.Text;
using System.Text.Json;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class CliMigrationTests : IDisposable
{
    private const string NotesV1 = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title: { type: text, required: true }
              body:  { type: text }
              rank:  { type: integer }
        """;

    private const string NotesWithoutBody = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title: { type: text, required: true }
              rank:  { type: integer }
        """;

    private const string NotesWithDefaults = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title:    { type: text, required: true }
              body:     { type: text }
              rank:     { type: integer }
              priority: { type: integer, default: 3 }
              label:    { type: text, default: "none" }
              pinned:   { type: boolean, default: true }
        """;

    private const string NotesWithSummaryInsteadOfBody = """
        collections:
          notes:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title:    { type: text, required: true }
              rank:     { type: integer }
              summary:  { type: text }
              priority: { type: integer, required: true, default: 3, index: true }
        """;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly TempFolder _folder = new();
    private readonly List<SharpbaseProcess> _processes = [];
    private readonly string _schemaPath;
    private readonly string _dataDirectory;

    public CliMigrationTests()
    {
        _schemaPath = _folder.Combine("sharpbase.yaml");
        _dataDirectory = _folder.Combine("data");
    }

    private string Database => Path.Combine(_dataDirectory, "data.db");

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        _folder.Dispose();
    }

    [Fact]
    public async Task Serve_FieldDropped_RefusesUntilMigrateApplyAllowDestructiveThenKeepsOtherData()
    {
        File.WriteAllText(_schemaPath, NotesV1);
        var created = await ServeAndCreateAsync(3);
        File.WriteAllText(_schemaPath, NotesWithoutBody);

        var refused = await RunAsync("serve", "--dev", "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}");
        var plan = await RunAsync("migrate", "plan");
        var applyWithoutFlag = await RunAsync("migrate", "apply");
        var columnsAfterRefusals = SqliteFile.Columns(Database, "notes");
        var bodiesAfterRefusals = SqliteFile.Rows(Database, "SELECT body FROM notes ORDER BY rank").Select(r => r[0] as string).ToList();
        var migrationsAfterRefusals = MigrationDescriptions();
        var apply = await RunAsync("migrate", "apply", "--allow-destructive");
        var columnsAfterApply = SqliteFile.Columns(Database, "notes");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("drop field 'notes.body'", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("migrate apply --allow-destructive", refused.Stderr, StringComparison.Ordinal);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("[destructive] drop field 'notes.body'", plan.Stdout, StringComparison.Ordinal);
        Assert.True(applyWithoutFlag.ExitCode == 2, applyWithoutFlag.ToString());
        Assert.Contains("--allow-destructive", applyWithoutFlag.Stderr, StringComparison.Ordinal);
        Assert.Contains("body", columnsAfterRefusals);
        Assert.Equal(["body 0", "body 1", "body 2"], bodiesAfterRefusals);
        Assert.Equal(["create collection 'notes'"], migrationsAfterRefusals);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.DoesNotContain("body", columnsAfterApply);
        Assert.Contains("title", columnsAfterApply);
        Assert.Contains("rank", columnsAfterApply);
        Assert.Equal("ok", SqliteFile.IntegrityCheck(Database));

        var server = await ServeAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        foreach (var (id, index) in created.Select((id, index) => (id, index)))
        {
            using var response = await client.GetAsync($"/api/notes/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var record = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal($"note {index}", record.GetProperty("title").GetString());
            Assert.Equal(index, record.GetProperty("rank").GetInt32());
            Assert.False(record.TryGetProperty("body", out _));
        }
        await StopAsync(server);

        var migrations = MigrationDescriptions();
        Assert.Equal(2, migrations.Count);
        Assert.Equal("create collection 'notes'", migrations[0]);
        Assert.Contains("drop field 'notes.body'", migrations[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_FieldsAddedWithDefaults_AppliedAtStartAndExistingRecordsGetTheDefaults()
    {
        File.WriteAllText(_schemaPath, NotesV1);
        var created = await ServeAndCreateAsync(2);
        File.WriteAllText(_schemaPath, NotesWithDefaults);

        var plan = await RunAsync("migrate", "plan");
        var server = await ServeAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var records = new List<JsonElement>();
        foreach (var id in created)
        {
            using var response = await client.GetAsync($"/api/notes/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            records.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        await StopAsync(server);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("+ add field 'notes.priority'", plan.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[destructive]", plan.Stdout, StringComparison.Ordinal);
        foreach (var (record, index) in records.Select((r, i) => (r, i)))
        {
            Assert.Equal($"note {index}", record.GetProperty("title").GetString());
            Assert.Equal($"body {index}", record.GetProperty("body").GetString());
            Assert.Equal(index, record.GetProperty("rank").GetInt32());
            Assert.Equal(3, record.GetProperty("priority").GetInt32());
            Assert.Equal("none", record.GetProperty("label").GetString());
            Assert.True(record.GetProperty("pinned").GetBoolean());
        }
        var migrations = MigrationDescriptions();
        Assert.Equal(2, migrations.Count);
        Assert.Equal("create collection 'notes'", migrations[0]);
        Assert.Contains("add field 'notes.priority'", migrations[1], StringComparison.Ordinal);
        Assert.Contains("add field 'notes.label'", migrations[1], StringComparison.Ordinal);
        Assert.Equal("ok", SqliteFile.IntegrityCheck(Database));
    }

    [Fact]
    public async Task MigrateApply_FieldDroppedAndOthersAdded_KeepsRecordsAddsTheFieldsAndASecondApplyDoesNothing()
    {
        File.WriteAllText(_schemaPath, NotesV1);
        var created = await ServeAndCreateAsync(2);
        File.WriteAllText(_schemaPath, NotesWithSummaryInsteadOfBody);

        var plan = await RunAsync("migrate", "plan");
        var apply = await RunAsync("migrate", "apply", "--allow-destructive");
        var again = await RunAsync("migrate", "apply", "--allow-destructive");
        var columns = SqliteFile.Columns(Database, "notes");
        var migrations = MigrationDescriptions();

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("[destructive] drop field 'notes.body'", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ add field 'notes.summary'", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ add field 'notes.priority'", plan.Stdout, StringComparison.Ordinal);
        var rebuild = Assert.Single(plan.Stdout.Split('\n'), line => line.Contains("CREATE TABLE \"_sb_rebuild__notes\"", StringComparison.Ordinal));
        Assert.DoesNotContain("summary", rebuild, StringComparison.Ordinal);
        Assert.DoesNotContain("priority", rebuild, StringComparison.Ordinal);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("Applied.", apply.Stdout, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to do", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(["id", "created_at", "updated_at", "version", "title", "rank", "summary", "priority"], columns);
        Assert.Equal(1L, SqliteFile.Scalar(Database, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'notes__priority_idx'"));
        Assert.Equal(2, migrations.Count);
        Assert.Contains("drop field 'notes.body'", migrations[1], StringComparison.Ordinal);
        Assert.Contains("add field 'notes.summary'", migrations[1], StringComparison.Ordinal);
        Assert.Contains("add field 'notes.priority'", migrations[1], StringComparison.Ordinal);
        Assert.Equal("ok", SqliteFile.IntegrityCheck(Database));

        var server = await ServeAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        foreach (var (id, index) in created.Select((id, index) => (id, index)))
        {
            using var response = await client.GetAsync($"/api/notes/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var record = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal($"note {index}", record.GetProperty("title").GetString());
            Assert.Equal(index, record.GetProperty("rank").GetInt32());
            Assert.Equal(JsonValueKind.Null, record.GetProperty("summary").ValueKind);
            Assert.Equal(3, record.GetProperty("priority").GetInt32());
            Assert.False(record.TryGetProperty("body", out _));
        }
        await StopAsync(server);
    }

    [Fact]
    public async Task MigrateApply_DestructiveStepFailsOnData_ExitsOneAndChangesNothing()
    {
        File.WriteAllText(_schemaPath, NotesV1);
        await ServeAndCreateAsync(2, title: _ => "same");
        File.WriteAllText(_schemaPath, NotesV1.Replace("title: { type: text, required: true }", "title: { type: text, required: true, unique: true }", StringComparison.Ordinal));

        var apply = await RunAsync("migrate", "apply", "--allow-destructive");
        var plan = await RunAsync("migrate", "plan");

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("UNIQUE", apply.Stderr, StringComparison.Ordinal);
        Assert.Contains("[destructive] make 'notes.title' unique", plan.Stdout, StringComparison.Ordinal);
        Assert.Equal(["create collection 'notes'"], MigrationDescriptions());
        Assert.Equal(2L, SqliteFile.Scalar(Database, "SELECT count(*) FROM notes WHERE title = 'same'"));
        Assert.Empty(SqliteFile.Rows(Database, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%unique%'"));
    }

    /// <summary>Serves the current schema, creates <paramref name="count"/> notes over HTTP and stops the server cleanly.</summary>
    private async Task<List<string>> ServeAndCreateAsync(int count, Func<int, string>? title = null)
    {
        var server = await ServeAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var content = new StringContent($$"""{"title":"{{title?.Invoke(i) ?? $"note {i}"}}","body":"body {{i}}","rank":{{i}}}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/notes", content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, text);
            ids.Add(JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!);
        }
        await StopAsync(server);
        return ids;
    }

    private async Task<SharpbaseProcess> ServeAsync()
    {
        var server = await SharpbaseProcess.ServeAsync(_folder.Path, _schemaPath, _dataDirectory, "notes");
        _processes.Add(server);
        return server;
    }

    private static async Task StopAsync(SharpbaseProcess server)
    {
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(StopTimeout);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{server.Describe()}");
    }

    // The working directory holds sharpbase.yaml; the data folder is given explicitly.
    private Task<CliResult> RunAsync(params string[] args) =>
        SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string> { ["SHARPBASE__DATA"] = _dataDirectory }, args);

    private List<string> MigrationDescriptions() =>
        [.. SqliteFile.Rows(Database, "SELECT description FROM _sb_migrations ORDER BY id").Select(r => (string)r[0]!)];
}
