using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Schema;

/// <summary>Errors outside a single field: the top level, collections, indexes, rules, cache and the YAML itself.</summary>
public sealed class SchemaLoaderDocumentErrorTests
{
    private const string Tags = "collections:\n  tags:\n    fields:\n      name: { type: text }\n";

    [Theory]
    // top level
    [InlineData("", 1, "", "the file is empty")]
    [InlineData("# only a comment\n", 1, "", "the file is empty")]
    [InlineData("- a\n- b\n", 1, "", "the top level must be a mapping with 'collections', not a list")]
    [InlineData("settings: {}\n", 1, "", "'collections' is required")]
    [InlineData("collections: {}\n", 1, "collections", "'collections' must be a mapping with at least one collection, not an empty mapping")]
    [InlineData("collections: [tags]\n", 1, "collections", "'collections' must be a mapping with at least one collection, not a list")]
    [InlineData(Tags + "colections: {}\n", 5, "", "unknown key 'colections' (did you mean 'collections'?)")]
    [InlineData(Tags + "Settings: {}\n", 5, "", "unknown key 'Settings' (did you mean 'settings'?)")]
    [InlineData(Tags + "plugins: {}\n", 5, "", "unknown key 'plugins'; expected one of: collections, settings")]
    [InlineData(Tags + "settings: [a]\n", 5, "settings", "'settings' must be a mapping, not a list")]
    // collection names and shape
    [InlineData("collections:\n  auth:\n    fields:\n      name: { type: text }\n", 2, "collections.auth", "collection name 'auth' is reserved for a Sharpbase system route")]
    [InlineData("collections:\n  well_known:\n    fields:\n      name: { type: text }\n", 2, "collections.well_known", "is reserved for a Sharpbase system route")]
    [InlineData("collections:\n  sb_things:\n    fields:\n      name: { type: text }\n", 2, "collections.sb_things", "names starting with 'sb_' or '_' belong to Sharpbase")]
    [InlineData("collections:\n  _things:\n    fields:\n      name: { type: text }\n", 2, "collections._things", "names starting with 'sb_' or '_' belong to Sharpbase")]
    [InlineData("collections:\n  order:\n    fields:\n      name: { type: text }\n", 2, "collections.order", "collection name 'order' is an SQL keyword")]
    [InlineData("collections:\n  user:\n    fields:\n      name: { type: text }\n", 2, "collections.user", "collection name 'user' is an SQL keyword")]
    [InlineData("collections:\n  Posts:\n    fields:\n      name: { type: text }\n", 2, "collections.Posts", "collection name 'Posts' must be snake_case")]
    [InlineData("collections:\n  blog-posts:\n    fields:\n      name: { type: text }\n", 2, "collections.blog-posts", "must be snake_case")]
    [InlineData("collections:\n  posts: [title]\n", 2, "collections.posts", "a collection must be a mapping with 'fields', not a list")]
    [InlineData("collections:\n  tags:\n    field: {}\n", 3, "collections.tags", "unknown key 'field' (did you mean 'fields'?)")]
    [InlineData("collections:\n  tags:\n    fields: [name]\n", 3, "collections.tags", "'fields' must be a mapping of field names to fields, not a list")]
    // auth
    [InlineData("collections:\n  users:\n    auth: yes\n", 3, "collections.users", "'auth' must be true or false, not the string 'yes'")]
    [InlineData("collections:\n  users:\n    auth: true\n  admins:\n    auth: true\n", 4, "collections.admins", "only one collection may have 'auth: true', and 'users' already does")]
    [InlineData("collections:\n  users:\n    auth: true\n    fields:\n      email: { type: email }\n", 5, "collections.users.fields.email", "field name 'email' is built into auth collections")]
    [InlineData("collections:\n  users:\n    auth: true\n    fields:\n      password_hash: { type: text }\n", 5, "collections.users.fields.password_hash", "is built into auth collections")]
    // indexes
    [InlineData(Tags + "    indexes: name\n", 5, "collections.tags.indexes", "'indexes' must be a list of indexes")]
    [InlineData(Tags + "    indexes:\n      - name\n", 6, "collections.tags.indexes.0", "an index must be a non-empty list of field names such as [status], not the string 'name'")]
    [InlineData(Tags + "    indexes:\n      - []\n", 6, "collections.tags.indexes.0", "not an empty list")]
    [InlineData(Tags + "    indexes:\n      - [name]\n      - [nmae]\n", 7, "collections.tags.indexes.1", "index field 'nmae' does not exist (did you mean 'name'?)")]
    [InlineData(Tags + "    indexes:\n      - [crated_at]\n", 6, "collections.tags.indexes.0", "index field 'crated_at' does not exist (did you mean 'created_at'?)")]
    [InlineData(Tags + "    indexes:\n      - [name, name]\n", 6, "collections.tags.indexes.0", "index lists field 'name' twice")]
    [InlineData(Tags + "    indexes:\n      - [name, [x]]\n", 6, "collections.tags.indexes.0", "an index field must be a field name, not a list")]
    [InlineData(Tags + "      links: { type: relation, collection: tags, multiple: true }\n    indexes:\n      - [links]\n", 7, "collections.tags.indexes.0", "index field 'links' is a multiple relation, which has no column")]
    // rules
    [InlineData(Tags + "    rules: { lst: \"true\" }\n", 5, "collections.tags.rules", "unknown key 'lst' (did you mean 'list'?)")]
    [InlineData(Tags + "    rules: { read: \"true\" }\n", 5, "collections.tags.rules", "unknown key 'read'; expected one of: list, view, create, update, delete")]
    [InlineData(Tags + "    rules: \"true\"\n", 5, "collections.tags.rules", "'rules' must be a mapping of actions (list, view, create, update, delete) to rule expressions")]
    [InlineData(Tags + "    rules:\n      list: [a]\n", 6, "collections.tags.rules", "rule 'list' must be an expression string, not a list")]
    [InlineData(Tags + "    rules:\n      list: \"\"\n", 6, "collections.tags.rules", "rule 'list' is empty")]
    // cache
    [InlineData(Tags + "    cache: 30s\n", 5, "collections.tags.cache", "'cache' must be a mapping such as { ttl: 30s }")]
    [InlineData(Tags + "    cache: {}\n", 5, "collections.tags.cache", "'cache' needs 'ttl'")]
    [InlineData(Tags + "    cache: { ttl: 30x }\n", 5, "collections.tags.cache", "'ttl' must be a duration such as 500ms, 30s, 5m, 1h or 1d, not the string '30x'")]
    [InlineData(Tags + "    cache: { ttl: 30 }\n", 5, "collections.tags.cache", "'ttl' must be a duration")]
    [InlineData(Tags + "    cache: { ttl: 0s }\n", 5, "collections.tags.cache", "'ttl' must be longer than zero")]
    [InlineData(Tags + "    cache: { ttl: 1m, tll: 2m }\n", 5, "collections.tags.cache", "unknown key 'tll' (did you mean 'ttl'?)")]
    // YAML itself
    [InlineData(Tags + "      name: { type: integer }\n", 5, "collections.tags.fields", "duplicate key 'name': first on line 4, again on line 5")]
    [InlineData(Tags + "  tags:\n    fields: {}\n", 5, "collections", "duplicate key 'tags': first on line 2, again on line 5")]
    [InlineData(Tags + "collections: {}\n", 5, "", "duplicate key 'collections': first on line 1, again on line 5")]
    [InlineData(Tags + "    rules:\n      list: 'x\n", 6, "", "invalid YAML")]
    [InlineData(Tags + "   bad: x\n", 5, "", "invalid YAML")]
    [InlineData(Tags + "    indexes: [[name]\n", 6, "", "invalid YAML")]
    [InlineData(Tags + "---\ncollections: {}\n", 6, "", "a schema file holds one YAML document")]
    [InlineData(Tags + "settings:\n  database: &x 1\n  redis: *x\n", 7, "settings", "aliases (*x) are not supported: write the value out")]
    // settings
    [InlineData(Tags + "settings:\n  servr: { max_page_size: 5 }\n", 6, "settings", "unknown setting 'servr' (did you mean 'server'?); expected one of: database, redis, server,")]
    [InlineData(Tags + "settings:\n  server: {}\n  trusted_proxy: [127.0.0.1]\n", 7, "settings", "unknown setting 'trusted_proxy'")]
    public void Parse_InvalidDocument_ReportsOneDiagnostic(string yaml, int line, string path, string expected)
    {
        // Arrange: the document is the case.

        // Act
        var result = SchemaLoader.Parse(yaml, "schema.yml");

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(line, diagnostic.Line);
        Assert.Equal(path, diagnostic.Path);
        Assert.Equal("schema.yml", diagnostic.File);
        Assert.Null(result.Schema);
    }

    [Fact(Timeout = 30_000)]
    public async Task Parse_AliasesOfAliases_ReportsEachWithoutExpandingThem()
    {
        // Arrange: twelve levels of ten aliases each stand for 10^13 values (a YAML "billion laughs").
        var lines = new List<string> { Tags + "settings:", "  l0: &l0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var level = 1; level <= 12; level++)
        {
            lines.Add($"  l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]");
        }

        // Act
        var result = await Task.Run(() => SchemaLoader.Parse(string.Join("\n", lines) + "\n", "schema.yml"));

        // Assert
        Assert.Equal(120, result.Diagnostics.Count(d => d.Message.StartsWith("aliases (*l", StringComparison.Ordinal)));
        Assert.Null(result.Schema);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public async Task Parse_ValueNested100000Deep_ReportsInvalidYamlAtOnce(string open, string close)
    {
        // Arrange: before the limit, the model's recursion overflowed the stack (the process died).
        var yaml = Tags + "settings:\n  auth: " + string.Concat(Enumerable.Repeat(open, 100_000)) + "1" + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";

        // Act
        var result = await Task.Run(() => SchemaLoader.Parse(yaml, "schema.yml"));

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((6, "invalid YAML: values nest deeper than 64 levels"), (diagnostic.Line, diagnostic.Message));
        Assert.Null(result.Schema);
    }

    [Fact]
    public void Parse_SettingsNestedTwentyDeep_Loads()
    {
        // Arrange
        var yaml = Tags + "settings:\n  auth: " + string.Concat(Enumerable.Repeat("{a: ", 20)) + "1" + new string('}', 20) + "\n";

        // Act
        var result = SchemaLoader.Parse(yaml, "schema.yml");

        // Assert
        Assert.Empty(result.Diagnostics);
        Assert.Equal("1", result.Schema!.Settings["auth:" + string.Join(":", Enumerable.Repeat("a", 20))]);
    }

    [Fact]
    public void Parse_SettingsSpelledAsConfigurationReadsThem_Load()
    {
        // Arrange: configuration ignores case and underscores, so these name the same sections.
        var yaml = Tags + "settings:\n  rateLimits: []\n  TrustedProxies: [127.0.0.1]\n  request_timeout: 10s\n  MAIL: { smtp_port: 25 }\n";

        // Act
        var result = SchemaLoader.Parse(yaml, "schema.yml");

        // Assert
        Assert.Empty(result.Diagnostics);
        Assert.Equal("127.0.0.1", result.Schema!.Settings["TrustedProxies:0"]);
    }

    [Fact]
    public void Parse_CollectionNameLongerThan63_ReportsLength()
    {
        // Arrange
        var yaml = $"collections:\n  {new string('c', 64)}:\n    fields:\n      name: {{ type: text }}\n";

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("is longer than 63 characters", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(2, diagnostic.Line);
    }
}
