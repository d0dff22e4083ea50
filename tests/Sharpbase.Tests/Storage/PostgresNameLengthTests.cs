using System.Net;
using Npgsql;
using Sharpbase.Hosting;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Storage;

/// <summary>
/// PostgreSQL keeps only the first 63 bytes of a name. The names Sharpbase derives (junction tables,
/// their indexes, field indexes) must fit whole there, or the migration is refused before anything
/// is created; SQLite keeps any name whole.
/// </summary>
[Collection(Process.ProcessTestGroup.Name)]
public sealed class PostgresNameLengthTests
{
    // "_sb_rel__" + 40 + "__" + 20 = 71 bytes: the junction table's name is cut on PostgreSQL.
    private const string LongCollection = "articles_with_a_rather_long_descriptive_";
    private const string LongField = "tags_chosen_by_staff_";

    // Exactly at the limit: "_sb_rel__" + 20 + "__" + 21 + "_target_idx" = 63 bytes for the junction's
    // index, and 20 + "__" + 34 + "_unique" = 63 bytes for the unique field's index.
    private const string FittingCollection = "articles_of_the_week";
    private const string FittingField = "tags_chosen_by_editor";
    private const string FittingUnique = "slug_given_by_the_editor_of_record";

    private static string Schema(string collection, string relation, string unique = "slug") => $$"""
        collections:
          tags:
            rules: { list: "true", view: "true", create: "true" }
            fields:
              name: { type: text }
          {{collection}}:
            rules: { list: "true", view: "true", create: "true" }
            fields:
              title: { type: text }
              {{unique}}: { type: text, unique: true }
              {{relation}}: { type: relation, collection: tags, multiple: true }
        """;

    [Fact]
    public async Task Start_JunctionNameLongerThan63Bytes_RefusedNamingItAndNothingCreated()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();

        var refused = await Assert.ThrowsAsync<SharpbaseStartupException>(() =>
            SharpbaseServer.StartAsync(Schema(LongCollection, LongField), configure: o => o.Database = database.Setting));

        var junction = "_sb_rel__" + LongCollection + "__" + LongField;
        Assert.Equal($"the database cannot be migrated to this schema: the database name '{junction}' is longer than the 63 bytes postgresql keeps of a name: shorten the collection or field names it is made of", refused.Message);
        Assert.Empty(await TablesAsync(database.Setting!));
    }

    [Fact]
    public async Task MigratePlanAndApply_NameLongerThan63Bytes_ExitOneNamingItWithoutAStackTrace()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var folder = new Process.TempFolder();
        var schema = folder.Combine("sharpbase.yaml");
        await File.WriteAllTextAsync(schema, Schema(LongCollection, LongField));
        var environment = new Dictionary<string, string> { ["SHARPBASE__DATABASE"] = database.Setting! };

        foreach (var command in new[] { "plan", "apply" })
        {
            var result = await Process.SharpbaseProcess.RunAsync(folder.Path, environment, "migrate", command, "--schema", schema, "--data", folder.Combine("data"));

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains($"the database name '_sb_rel__{LongCollection}__{LongField}' is longer than the 63 bytes", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
        Assert.Empty(await TablesAsync(database.Setting!));
    }

    [Fact]
    public async Task Start_NamesOfExactly63Bytes_ServeRelationsAndNameTheDuplicateField()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var server = await SharpbaseServer.StartAsync(Schema(FittingCollection, FittingField, FittingUnique), configure: o => o.Database = database.Setting);

        using var tag = await server.PostAsync("/api/tags", """{"name":"news"}""");
        Assert.Equal(HttpStatusCode.Created, tag.StatusCode);
        var tagId = (await tag.JsonAsync()).GetProperty("id").GetString();
        using var created = await server.PostAsync($"/api/{FittingCollection}", $$"""{"title":"a","{{FittingUnique}}":"a","{{FittingField}}":["{{tagId}}"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var read = await server.GetAsync($"/api/{FittingCollection}/{(await created.JsonAsync()).GetProperty("id").GetString()}");
        Assert.Equal(tagId, (await read.JsonAsync()).GetProperty(FittingField)[0].GetString());

        using var duplicate = await server.PostAsync($"/api/{FittingCollection}", $$"""{"title":"b","{{FittingUnique}}":"a"}""");
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains(FittingUnique, await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("_sb_rel__" + FittingCollection + "__" + FittingField, await TablesAsync(database.Setting!));
    }

    [Fact]
    public async Task Start_LongJunctionNameOnSqlite_IsKeptWhole()
    {
        await using var server = await SharpbaseServer.StartAsync(Schema(LongCollection, LongField));

        using var tag = await server.PostAsync("/api/tags", """{"name":"news"}""");
        var tagId = (await tag.JsonAsync()).GetProperty("id").GetString();
        using var created = await server.PostAsync($"/api/{LongCollection}", $$"""{"title":"a","slug":"a","{{LongField}}":["{{tagId}}"]}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(tagId, (await created.JsonAsync()).GetProperty(LongField)[0].GetString());
    }

    private static async Task<List<string>> TablesAsync(string setting)
    {
        await using var connection = new NpgsqlConnection(setting);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }
}
