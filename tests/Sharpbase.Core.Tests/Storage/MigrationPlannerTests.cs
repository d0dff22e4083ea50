using Microsoft.Data.Sqlite;
using Sharpbase.Schema;
using Sharpbase.Storage;
using Sharpbase.Storage.Migrations;
using Sharpbase.Storage.Postgres;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Storage;

public sealed class MigrationPlannerTests
{
    private const string Base = """
        collections:
          authors:
            fields:
              name: { type: text, required: true }
          posts:
            fields:
              title:  { type: text, required: true, index: true }
              author: { type: relation, collection: authors }
              tags:   { type: relation, collection: tags, multiple: true }
              views:  { type: integer, default: 0 }
            indexes:
              - [title, author]
          tags:
            fields:
              name: { type: text, unique: true }
        """;

    private const string Views = "      views:  { type: integer, default: 0 }\n";

    private static readonly SqliteDialect Dialect = new();

    private static IReadOnlyList<CollectionDef> Load(string yaml)
    {
        var result = SchemaLoader.Parse(yaml, "test.yaml");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Schema!.Collections;
    }

    [Fact]
    public void Plan_EmptyDatabase_CreatesEveryTableIndexAndJunction()
    {
        var plan = MigrationPlanner.Plan(null, Load(Base), Dialect);

        Assert.False(plan.HasDestructive);
        var sql = plan.Steps.SelectMany(s => s.Statements).ToList();
        Assert.Contains("""CREATE TABLE "authors" (id TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, "name" TEXT) STRICT""", sql);
        Assert.Contains("""CREATE TABLE "posts" (id TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, "title" TEXT, "author" TEXT REFERENCES "authors"(id) ON DELETE SET NULL, "views" INTEGER) STRICT""", sql);
        Assert.Contains("""CREATE INDEX "posts__title_idx" ON "posts" ("title", "id")""", sql);
        Assert.Contains("""CREATE INDEX "posts__author_idx" ON "posts" ("author", "id")""", sql);
        Assert.Contains("""CREATE INDEX "posts__title__author_idx" ON "posts" ("title", "author", "id")""", sql);
        Assert.Contains("""CREATE UNIQUE INDEX "tags__name_unique" ON "tags" ("name")""", sql);
        Assert.Contains(sql, s => s.StartsWith("""CREATE TABLE "_sb_rel__posts__tags" """, StringComparison.Ordinal));
        Assert.True(sql.FindIndex(s => s.Contains("TABLE \"authors\"")) < sql.FindIndex(s => s.Contains("TABLE \"posts\"")));
    }

    [Theory]
    [InlineData("a_field_name_long_enough_to_cut_the_index_name_at_sixty: { type: text, index: true }", "posts__a_field_name_long_enough_to_cut_the_index_name_at_sixty_idx")]
    [InlineData("a_field_name_long_enough_to_cut_the_unique_name_at_63: { type: text, unique: true }", "posts__a_field_name_long_enough_to_cut_the_unique_name_at_63_unique")]
    [InlineData("tags_picked_by_the_editors_of_this_publication_xy: { type: relation, collection: tags, multiple: true }", "_sb_rel__posts__tags_picked_by_the_editors_of_this_publication_xy")]
    [InlineData("tags_picked_by_the_editors_of_a_paper: { type: relation, collection: tags, multiple: true }", "_sb_rel__posts__tags_picked_by_the_editors_of_a_paper_target_idx")]
    public void Plan_NameLongerThanPostgresKeeps_RefusedOnPostgresOnly(string field, string name)
    {
        var applied = Load(Base);
        var grown = Load(Base.Replace("      views:  { type: integer, default: 0 }\n", "      views:  { type: integer, default: 0 }\n      " + field + "\n", StringComparison.Ordinal));

        var added = Assert.Throws<MigrationException>(() => MigrationPlanner.Plan(applied, grown, new PostgresDialect()));
        var created = Assert.Throws<MigrationException>(() => MigrationPlanner.Plan(null, grown, new PostgresDialect()));

        Assert.Contains($"'{name}' is longer than the 63 bytes postgresql keeps", added.Message, StringComparison.Ordinal);
        Assert.Equal(added.Message, created.Message);
        Assert.NotEmpty(MigrationPlanner.Plan(applied, grown, Dialect).Steps);
    }

    [Fact]
    public void Plan_SameSchema_IsEmpty()
    {
        var collections = Load(Base);

        var plan = MigrationPlanner.Plan(MigrationPlanner.ReadSnapshot(MigrationPlanner.Snapshot(collections)), collections, Dialect);

        Assert.True(plan.IsEmpty, string.Join("\n", plan.Steps.Select(s => s.Description)));
    }

    [Fact]
    public void Plan_AddedFieldIndexAndCollection_AreAdditive()
    {
        var changed = Base.Replace("      views:  { type: integer, default: 0 }", "      views:  { type: integer, default: 0 }\n      score:  { type: number, default: 1.5, index: true }")
            + "\n  extra:\n    fields:\n      note: { type: text }\n";

        var plan = MigrationPlanner.Plan(Load(Base), Load(changed), Dialect);

        Assert.False(plan.HasDestructive);
        var sql = plan.Steps.SelectMany(s => s.Statements).ToList();
        Assert.Contains("""ALTER TABLE "posts" ADD COLUMN "score" REAL""", sql);
        Assert.Contains("""UPDATE "posts" SET "score" = 1.5""", sql);
        Assert.Contains("""CREATE INDEX "posts__score_idx" ON "posts" ("score", "id")""", sql);
        Assert.Contains(plan.Steps, s => s.Description == "create collection 'extra'");
    }

    [Theory]
    [InlineData("      views:  { type: integer, default: 0 }\n", "", "drop field 'posts.views'")]
    [InlineData("      views:  { type: integer, default: 0 }", "      views:  { type: text }", "change the type of 'posts.views'")]
    [InlineData("      tags:   { type: relation, collection: tags, multiple: true }\n", "", "drop field 'posts.tags'")]
    [InlineData("      name: { type: text, unique: true }", "      name: { type: text }\n      code: { type: text, unique: true }", null)]
    [InlineData("      name: { type: text, required: true }", "      name: { type: text, required: true, unique: true }", "make 'authors.name' unique")]
    public void Plan_NarrowingOrDroppingChanges_AreDestructive(string from, string to, string? description)
    {
        var plan = MigrationPlanner.Plan(Load(Base), Load(Base.Replace(from, to)), Dialect);

        if (description is null)
        {
            Assert.False(plan.HasDestructive);
        }
        else
        {
            Assert.True(plan.HasDestructive);
            Assert.Contains(plan.Steps, s => s.Destructive && s.Description.StartsWith(description, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Plan_DroppedCollection_IsDestructive()
    {
        var without = Base.Replace("      tags:   { type: relation, collection: tags, multiple: true }\n", "")
            .Replace("  tags:\n    fields:\n      name: { type: text, unique: true }", "");

        var plan = MigrationPlanner.Plan(Load(Base), Load(without), Dialect);

        Assert.Contains(plan.Steps, s => s.Destructive && s.Description.Contains("drop collection 'tags'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void Plan_FieldDroppedAndAnotherAdded_CreatesTheNewColumnOnce(string dialectName)
    {
        SqlDialect dialect = dialectName == "postgresql" ? new PostgresDialect() : Dialect;

        var plan = MigrationPlanner.Plan(Load(Base), Load(Base.Replace(Views, "      score:  { type: integer }\n", StringComparison.Ordinal)), dialect);

        var sql = plan.Steps.SelectMany(s => s.Statements).ToList();
        Assert.DoesNotContain(sql, s => s.StartsWith("CREATE TABLE", StringComparison.Ordinal) && s.Contains("\"score\"", StringComparison.Ordinal));
        Assert.Single(sql, s => s.Contains("ADD COLUMN \"score\"", StringComparison.Ordinal));
        Assert.Equal(["drop field 'posts.views' and its data", "add field 'posts.score'"], plan.Steps.Select(s => s.Description).Take(2));
    }

    [Fact]
    public async Task Apply_DropFieldOnSqlite_RebuildsTableKeepingOtherDataAndRelations()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sb-migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var database = await SqliteDatabase.OpenAsync(path, null, CancellationToken.None))
            {
                var migrator = new Migrator(database, TimeProvider.System);
                var before = SchemaLoader.Parse(Base, "test.yaml").Schema!;
                Assert.True((await migrator.ApplyAsync(before, false, CancellationToken.None)).Applied);
                await SeedAsync(database);

                var after = SchemaLoader.Parse(Base.Replace(Views, "", StringComparison.Ordinal), "test.yaml").Schema!;
                var refused = await migrator.ApplyAsync(after, false, CancellationToken.None);
                var applied = await migrator.ApplyAsync(after, true, CancellationToken.None);

                Assert.False(refused.Applied);
                Assert.True(applied.Applied);
                Assert.True((await migrator.PlanAsync(after, CancellationToken.None)).IsEmpty);
            }
            await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            await check.OpenAsync();
            Assert.Equal("Hello|a1|1", await ScalarAsync(check, "SELECT title || '|' || author || '|' || (SELECT count(*) FROM _sb_rel__posts__tags) FROM posts"));
            Assert.Equal(0L, await ScalarAsync(check, "SELECT count(*) FROM pragma_table_info('posts') WHERE name = 'views'"));
            Assert.Equal(1L, await ScalarAsync(check, "SELECT count(*) FROM sqlite_master WHERE name = 'posts__title__author_idx'"));
            Assert.Equal(1L, await ScalarAsync(check, "SELECT count(*) FROM sqlite_master WHERE name = 'posts__author_idx'"));
            Assert.Equal(0L, await ScalarAsync(check, "SELECT count(*) FROM pragma_foreign_key_check"));
            Assert.Equal(2L, await ScalarAsync(check, "SELECT count(*) FROM _sb_migrations"));
            Assert.Equal("ok", await ScalarAsync(check, "PRAGMA integrity_check"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("score: { type: text }", "SELECT count(*) FROM posts WHERE score IS NULL", 1L)]
    [InlineData("score: { type: text, required: true, default: \"none\" }", "SELECT score FROM posts", "none")]
    [InlineData("score: { type: integer, index: true }", "SELECT count(*) FROM sqlite_master WHERE name = 'posts__score_idx'", 1L)]
    [InlineData("editor: { type: relation, collection: authors }", "SELECT count(*) FROM sqlite_master WHERE name = 'posts__editor_idx'", 1L)]
    [InlineData("topics: { type: relation, collection: tags, multiple: true }", "SELECT count(*) FROM sqlite_master WHERE name = '_sb_rel__posts__topics'", 1L)]
    public async Task Apply_FieldDroppedAndAnotherAddedOnSqlite_KeepsRecordsAndAddsTheNewField(string added, string query, object expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sb-migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var database = await SqliteDatabase.OpenAsync(path, null, CancellationToken.None))
            {
                var migrator = new Migrator(database, TimeProvider.System);
                Assert.True((await migrator.ApplyAsync(SchemaLoader.Parse(Base, "test.yaml").Schema!, false, CancellationToken.None)).Applied);
                await SeedAsync(database);

                var after = SchemaLoader.Parse(Base.Replace(Views, "      " + added + "\n", StringComparison.Ordinal), "test.yaml").Schema!;
                var applied = await migrator.ApplyAsync(after, true, CancellationToken.None);
                var again = await migrator.ApplyAsync(after, true, CancellationToken.None);

                Assert.True(applied.Applied);
                Assert.True(applied.Plan.HasDestructive);
                Assert.True(again.Applied);
                Assert.True(again.Plan.IsEmpty);
            }
            await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            await check.OpenAsync();
            Assert.Equal(expected, await ScalarAsync(check, query));
            Assert.Equal("p1|Hello|a1|1", await ScalarAsync(check, "SELECT group_concat(id || '|' || title || '|' || author || '|' || (SELECT count(*) FROM _sb_rel__posts__tags)) FROM posts"));
            Assert.Equal(0L, await ScalarAsync(check, "SELECT count(*) FROM pragma_table_info('posts') WHERE name = 'views'"));
            Assert.Equal(0L, await ScalarAsync(check, "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_sb\\_rebuild%' ESCAPE '\\'"));
            Assert.Equal(0L, await ScalarAsync(check, "SELECT count(*) FROM pragma_foreign_key_check"));
            Assert.Equal(2L, await ScalarAsync(check, "SELECT count(*) FROM _sb_migrations"));
            Assert.Equal("ok", await ScalarAsync(check, "PRAGMA integrity_check"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static async Task SeedAsync(SqliteDatabase database) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO authors VALUES ('a1', 'x', 'x', 1, 'Ann');
                INSERT INTO tags VALUES ('t1', 'x', 'x', 1, 'dotnet');
                INSERT INTO posts VALUES ('p1', 'x', 'x', 1, 'Hello', 'a1', 5);
                INSERT INTO _sb_rel__posts__tags VALUES ('p1', 't1', 0);
                """;
            await command.ExecuteNonQueryAsync();
            return true;
        }, CancellationToken.None);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
