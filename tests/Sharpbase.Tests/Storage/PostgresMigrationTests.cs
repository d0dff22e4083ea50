using Npgsql;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Storage;

/// <summary>
/// <c>migrate apply --allow-destructive</c> on PostgreSQL, where a dropped field is an
/// <c>ALTER TABLE … DROP COLUMN</c> rather than SQLite's table rebuild.
/// </summary>
[Collection(Process.ProcessTestGroup.Name)]
public sealed class PostgresMigrationTests
{
    private const string Before = """
        collections:
          tags:
            fields:
              name: { type: text }
          notes:
            fields:
              title: { type: text, required: true }
              body:  { type: text }
              rank:  { type: integer }
        """;

    private const string After = """
        collections:
          tags:
            fields:
              name: { type: text }
          notes:
            fields:
              title:    { type: text, required: true }
              rank:     { type: integer }
              summary:  { type: text }
              priority: { type: integer, required: true, default: 3, index: true }
              tags:     { type: relation, collection: tags, multiple: true }
        """;

    [Fact]
    public async Task MigrateApply_FieldDroppedAndOthersAdded_KeepsRecordsAddsTheFieldsAndASecondApplyDoesNothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var folder = new Process.TempFolder();
        var schema = folder.Combine("sharpbase.yaml");
        await File.WriteAllTextAsync(schema, Before);
        var created = await MigrateAsync(folder, database, "apply");
        Assert.True(created.ExitCode == 0, created.ToString());
        await ExecuteAsync(database.Setting!, """
            INSERT INTO notes (id, created_at, updated_at, version, title, body, rank) VALUES
              ('n1', 'x', 'x', 1, 'first', 'one', 1),
              ('n2', 'x', 'x', 1, 'second', 'two', 2)
            """);
        await File.WriteAllTextAsync(schema, After);

        var plan = await MigrateAsync(folder, database, "plan");
        var apply = await MigrateAsync(folder, database, "apply", "--allow-destructive");
        var again = await MigrateAsync(folder, database, "apply", "--allow-destructive");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("[destructive] drop field 'notes.body'", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ add field 'notes.summary'", plan.Stdout, StringComparison.Ordinal);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to do", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(["id", "created_at", "updated_at", "version", "title", "rank", "summary", "priority"],
            await ReadAsync(database.Setting!, "SELECT column_name FROM information_schema.columns WHERE table_name = 'notes' ORDER BY ordinal_position"));
        Assert.Equal(["n1|first|1||3", "n2|second|2||3"],
            await ReadAsync(database.Setting!, "SELECT concat_ws('|', id, title, rank, coalesce(summary, ''), priority) FROM notes ORDER BY id"));
        Assert.Equal(["notes__priority_idx"], await ReadAsync(database.Setting!, "SELECT indexname FROM pg_indexes WHERE tablename = 'notes' AND indexname LIKE '%priority%'"));
        Assert.Equal(["_sb_rel__notes__tags"], await ReadAsync(database.Setting!, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '\\_sb\\_rel%'"));
        var migrations = await ReadAsync(database.Setting!, "SELECT description FROM _sb_migrations ORDER BY id");
        Assert.Equal(2, migrations.Count);
        Assert.Contains("drop field 'notes.body'", migrations[1], StringComparison.Ordinal);
        Assert.Contains("add field 'notes.summary'", migrations[1], StringComparison.Ordinal);
    }

    private static Task<Process.CliResult> MigrateAsync(Process.TempFolder folder, PostgresTestDatabase database, params string[] args) =>
        Process.SharpbaseProcess.RunAsync(folder.Path, new Dictionary<string, string> { ["SHARPBASE__DATABASE"] = database.Setting! },
            ["migrate", .. args, "--schema", folder.Combine("sharpbase.yaml"), "--data", folder.Combine("data")]);

    private static async Task ExecuteAsync(string setting, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(setting) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ReadAsync(string setting, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(setting) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
