using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Schema;

public sealed class SchemaLoaderTests
{
    [Fact]
    public void Parse_FileWithManyErrors_ReportsAllOfThemInLineOrder()
    {
        // Arrange
        const string yaml = """
            collections:
              posts:
                fields:
                  title: { type: txt }
                  author: { type: relation, collection: user }
                  views: { type: integer, min: 5, max: 1 }
                  title: { type: text }
                indexes:
                  - [titel]
                cache: { ttl: soon }
              order:
                fields:
                  from: { type: text }
            setings: {}
            """;

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        (int Line, string Path, string Message)[] expected =
        [
            (4, "collections.posts.fields.title", "unknown type 'txt' (did you mean 'text'?)"),
            (5, "collections.posts.fields.author", "relation target 'user' does not exist"),
            (6, "collections.posts.fields.views", "'min' (5) is greater than 'max' (1)"),
            (7, "collections.posts.fields", "duplicate key 'title': first on line 4, again on line 7"),
            (9, "collections.posts.indexes.0", "index field 'titel' does not exist (did you mean 'title'?)"),
            (10, "collections.posts.cache", "'ttl' must be a duration"),
            (11, "collections.order", "collection name 'order' is an SQL keyword"),
            (13, "collections.order.fields.from", "field name 'from' is an SQL keyword"),
            (14, "", "unknown key 'setings' (did you mean 'settings'?)"),
        ];
        Assert.Null(result.Schema);
        Assert.Equal(expected.Select(e => (e.Line, e.Path)), result.Diagnostics.Select(d => (d.Line, d.Path)));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i].Message, result.Diagnostics[i].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_BrokenFieldReferencedByIndex_ReportsTheFieldOnly()
    {
        // Arrange: a field with an unknown type is still declared, so the index does not add a second error.
        const string yaml = "collections:\n  tags:\n    fields:\n      name: { type: txt }\n    indexes: [[name]]\n";

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(4, diagnostic.Line);
    }

    [Fact]
    public void Parse_RelationTargetTypo_FormatsTheDesignExample()
    {
        // Arrange
        const string yaml = "collections:\n  users:\n    auth: true\n  posts:\n    fields:\n      author: { type: relation, collection: user }\n";

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            "sharpbase.yaml:6: collections.posts.fields.author: relation target 'user' does not exist (did you mean 'users'?)",
            diagnostic.ToString());
    }

    [Fact]
    public void Parse_JsonDocument_LoadsWithLineNumbers()
    {
        // Arrange
        const string json = """
            {
              "collections": {
                "tags": {
                  "fields": {
                    "name": { "type": "text", "required": true, "max": 50, "default": "x" },
                    "weight": { "type": "number", "default": 1.5 }
                  },
                  "indexes": [["name"]],
                  "rules": { "list": "true" }
                }
              },
              "settings": { "cors": { "origins": ["http://a", "http://b"] } }
            }
            """;

        // Act
        var result = SchemaLoader.Parse(json, "sharpbase.json");

        // Assert
        Assert.True(result.Success);
        var tags = Assert.Single(result.Schema!.Collections);
        Assert.Equal(3, tags.Line);
        Assert.Equal(5, tags.Fields[0].Line);
        Assert.Equal(6, tags.Fields[1].Line);
        Assert.True(tags.Fields[0].Required);
        Assert.Equal(50, tags.Fields[0].Max);
        Assert.Equal("\"x\"", tags.Fields[0].Default!.LiteralJson);
        Assert.Equal("1.5", tags.Fields[1].Default!.LiteralJson);
        Assert.Equal("true", tags.Rules.List);
        Assert.Equal("http://b", result.Schema.Settings["cors:origins:1"]);
    }

    [Fact]
    public void Parse_OneLineJsonFromTheBrief_Succeeds()
    {
        // Arrange
        const string json = """{"collections": {"tags": {"fields": {"name": {"type": "text"}}}}}""";

        // Act
        var result = SchemaLoader.Parse(json, "sharpbase.json");

        // Assert
        Assert.True(result.Success);
        Assert.Equal(1, result.Schema!.Collections[0].Fields[0].Line);
    }

    [Fact]
    public void Parse_JsonWithErrors_ReportsTheirLines()
    {
        // Arrange
        const string json = "{\n  \"collections\": {\n    \"tags\": {\n      \"fields\": {\n        \"name\": { \"type\": \"text\", \"required\": \"yes\" },\n        \"name\": { \"type\": \"text\" }\n      }\n    }\n  }\n}\n";

        // Act
        var result = SchemaLoader.Parse(json, "sharpbase.json");

        // Assert
        Assert.Equal(
            [
                (5, "'required' must be true or false, not the string 'yes'"),
                (6, "duplicate key 'name': first on line 5, again on line 6"),
            ],
            result.Diagnostics.Select(d => (d.Line, d.Message)));
    }

    [Fact]
    public void Parse_DuplicateKeysAtSeveralLevels_ReportsEachWithBothLines()
    {
        // Arrange
        const string yaml = """
            collections:
              tags:
                fields:
                  name: { type: text, max: 5, max: 6 }
                rules:
                  list: "true"
                  list: "false"
            """;

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        Assert.Equal(
            [
                "sharpbase.yaml:4: collections.tags.fields.name: duplicate key 'max': first on line 4, again on line 4",
                "sharpbase.yaml:7: collections.tags.rules: duplicate key 'list': first on line 6, again on line 7",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_Defaults_AreStoredAsCompactJson()
    {
        // Arrange
        const string yaml = """
            collections:
              things:
                fields:
                  score: { type: number, default: 2.50 }
                  big: { type: integer, default: -9000000000 }
                  flag: { type: boolean, default: true }
                  meta: { type: json, default: { a: [1, "x", true, null], "b": 1.5 } }
                  at: { type: datetime, default: "2024-01-31T12:00:00+01:00" }
                  day: { type: date, default: 2024-01-31 }
                  ref_key: { type: uuid, default: 0190A5B2-1C3D-7E4F-8A9B-0C1D2E3F4A5B }
                  created: { type: datetime, default: "@now" }
                  quoted: { type: text, default: 'true' }
            """;

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
        var fields = result.Schema!.Collections[0].Fields.ToDictionary(f => f.Name, f => f.Default);
        Assert.Equal("2.5", fields["score"]!.LiteralJson);
        Assert.Equal("-9000000000", fields["big"]!.LiteralJson);
        Assert.Equal("true", fields["flag"]!.LiteralJson);
        Assert.Equal("""{"a":[1,"x",true,null],"b":1.5}""", fields["meta"]!.LiteralJson);
        Assert.Equal("\"2024-01-31T11:00:00Z\"", fields["at"]!.LiteralJson);
        Assert.Equal("\"2024-01-31\"", fields["day"]!.LiteralJson);
        Assert.Equal("\"0190a5b2-1c3d-7e4f-8a9b-0c1d2e3f4a5b\"", fields["ref_key"]!.LiteralJson);
        Assert.Equal(new FieldDefault(DefaultKind.Now), fields["created"]);
        Assert.Equal("\"true\"", fields["quoted"]!.LiteralJson);
    }

    [Fact]
    public void Parse_DateBounds_AreStoredInUtc()
    {
        // Arrange
        const string yaml = """
            collections:
              events:
                fields:
                  starts: { type: datetime, min: "2024-01-01T02:00:00+02:00", max: 2025-01-01 }
                  day: { type: date, min: 2024-01-01 }
            """;

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        Assert.True(result.Success);
        var starts = result.Schema!.Collections[0].Fields[0];
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), starts.MinDate);
        Assert.Equal(DateTimeKind.Utc, starts.MinDate!.Value.Kind);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), starts.MaxDate);
        Assert.Equal(DateTimeKind.Utc, result.Schema.Collections[0].Fields[1].MinDate!.Value.Kind);
    }

    [Fact]
    public void Parse_AuthCollectionWithoutFieldsAndSelfRelation_Succeeds()
    {
        // Arrange
        const string yaml = """
            collections:
              users:
                auth: true
              comments:
                fields:
                  email: { type: email }
                  parent: { type: relation, collection: comments }
                indexes: [[id], [created_at, email], [parent]]
                rules: { list: true, view: null }
            """;

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        Assert.True(result.Success);
        Assert.Equal(AuthFields.BuiltIns, result.Schema!.Collections[0].Fields);
        var comments = result.Schema.Collections[1];
        Assert.Equal(3, comments.Indexes.Count);
        Assert.Equal(new RuleSet(List: "true"), comments.Rules);
        Assert.Empty(result.Schema.Settings);
    }

    [Fact]
    public void Load_MissingFile_ReportsLineZero()
    {
        // Arrange
        var path = Path.Combine(Path.GetTempPath(), $"sharpbase-missing-{Guid.NewGuid():N}.yaml");

        // Act
        var result = SchemaLoader.Load(path);

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(0, diagnostic.Line);
        Assert.Equal(path, diagnostic.File);
        Assert.StartsWith("cannot read the schema file", diagnostic.Message, StringComparison.Ordinal);
        Assert.False(result.Success);
    }

    [Fact]
    public void Load_FileWithError_NamesThePathAsGiven()
    {
        // Arrange
        var path = Path.Combine(Path.GetTempPath(), $"sharpbase-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "collections:\n  tags:\n    fields:\n      name: { type: text, uniq: true }\n");

        try
        {
            // Act
            var result = SchemaLoader.Load(path);

            // Assert
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.StartsWith($"{path}:4: collections.tags.fields.name: unknown key 'uniq' (did you mean 'unique'?)", diagnostic.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_TextWithByteOrderMark_Succeeds()
    {
        // Arrange
        const string yaml = "\uFEFFcollections:\n  tags:\n    fields:\n      name: { type: text }\n";

        // Act
        var result = SchemaLoader.Parse(yaml, "sharpbase.yaml");

        // Assert
        Assert.True(result.Success);
    }

    [Fact]
    public void Parse_NullArguments_Throw()
    {
        // Arrange, Act and Assert: a null is a caller bug, not bad content.
        Assert.Throws<ArgumentNullException>(() => SchemaLoader.Parse(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => SchemaLoader.Parse("", null!));
        Assert.Throws<ArgumentNullException>(() => SchemaLoader.Load(null!));
    }
}
