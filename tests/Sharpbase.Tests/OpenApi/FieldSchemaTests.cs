using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.OpenApi;

/// <summary>Every field type and option, as the document describes it.</summary>
public abstract class FieldSchemaTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;
    private JsonElement _schemas;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);
        using var response = await _server.GetAsync("/openapi.json");
        _schemas = (await response.JsonAsync()).GetProperty("components").GetProperty("schemas");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void HiddenField_IsNeverInTheRecord_ButCanBeWritten()
    {
        Assert.False(Property("Item", "secret", out _));
        Assert.True(Property("ItemCreate", "secret", out var secret));
        Assert.True(secret.GetProperty("writeOnly").GetBoolean());
        Assert.False(_schemas.GetProperty("ItemsList").ToString().Contains("secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("title", "minLength", 2)]
    [InlineData("title", "maxLength", 10)]
    [InlineData("count", "minimum", 0)]
    [InlineData("count", "maximum", 100)]
    [InlineData("price", "minimum", 0.5)]
    [InlineData("price", "maximum", 99.5)]
    public void Bounds_AreTheFieldsBounds(string field, string keyword, double expected)
    {
        Assert.True(Property("Item", field, out var schema));
        Assert.Equal(expected, schema.GetProperty(keyword).GetDouble());
    }

    [Theory]
    [InlineData("due", "date-time")]
    [InlineData("day", "date")]
    [InlineData("email", "email")]
    [InlineData("site", "uri")]
    [InlineData("ref", "uuid")]
    [InlineData("owner", "uuid")]
    [InlineData("count", "int64")]
    [InlineData("price", "double")]
    public void Formats_NameTheFieldTypes(string field, string format)
    {
        Assert.True(Property("Item", field, out var schema));
        Assert.Equal(format, schema.GetProperty("format").GetString());
    }

    [Fact]
    public void Pattern_SelectAndJson_AreDescribed()
    {
        Assert.True(Property("Item", "code", out var code));
        Assert.Equal("^[A-Z]{3}-[0-9]{3}$", code.GetProperty("pattern").GetString());
        Assert.True(Property("Item", "color", out var color));
        Assert.Equal(["red", "green", "blue", null], color.GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()));
        Assert.True(Property("Item", "meta", out var meta));
        Assert.False(meta.TryGetProperty("type", out _));
        Assert.True(Property("ItemCreate", "stamp", out var stamp));
        Assert.True(stamp.GetProperty("readOnly").GetBoolean());
        Assert.Equal(["title"], _schemas.GetProperty("ItemCreate").GetProperty("required").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public void Relations_AreExpandableToTheirTargets()
    {
        Assert.True(Property("ItemExpand", "owner", out var owner));
        Assert.Contains(owner.GetProperty("oneOf").EnumerateArray(), s => s.TryGetProperty("$ref", out var r) && r.GetString() == "#/components/schemas/Owner");
        Assert.True(Property("ItemExpand", "tags", out var tags));
        Assert.Equal("#/components/schemas/Tag", tags.GetProperty("items").GetProperty("$ref").GetString());
    }

    private bool Property(string schema, string name, out JsonElement property)
    {
        property = default;
        return _schemas.GetProperty(schema).GetProperty("properties").TryGetProperty(name, out property);
    }
}

public sealed class FieldSchemaTestsOnSqlite : FieldSchemaTests<Sqlite>;

public sealed class FieldSchemaTestsOnPostgres : FieldSchemaTests<Postgres>;
