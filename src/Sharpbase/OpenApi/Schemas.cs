using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Sharpbase.OpenApi;

/// <summary>Small constructors for the schema shapes the document uses again and again.</summary>
internal static class Schemas
{
    public const long MaxInt64 = long.MaxValue;

    public static OpenApiSchema String(int maxLength, string? format = null, int? minLength = null, string? description = null, bool nullable = false) => new()
    {
        Type = Nullable(JsonSchemaType.String, nullable),
        MaxLength = maxLength,
        MinLength = minLength,
        Format = format,
        Description = description,
    };

    public static OpenApiSchema Const(string value, string? description = null) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [JsonValue.Create(value)],
        Description = description,
    };

    public static OpenApiSchema Enum(IEnumerable<string> values, string? description = null, bool nullable = false)
    {
        List<JsonNode> members = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        if (nullable)
        {
            members.Add(null!);
        }
        return new OpenApiSchema { Type = Nullable(JsonSchemaType.String, nullable), Enum = members, Description = description };
    }

    public static OpenApiSchema Integer(long minimum, long maximum, string? description = null, bool nullable = false) => new()
    {
        Type = Nullable(JsonSchemaType.Integer, nullable),
        Format = "int64",
        Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Description = description,
    };

    public static OpenApiSchema Boolean(string? description = null, bool nullable = false) => new()
    {
        Type = Nullable(JsonSchemaType.Boolean, nullable),
        Description = description,
    };

    public static OpenApiSchema Array(IOpenApiSchema items, int maxItems, string? description = null, int? minItems = null, bool uniqueItems = false) => new()
    {
        Type = JsonSchemaType.Array,
        Items = items,
        MaxItems = maxItems,
        MinItems = minItems,
        UniqueItems = uniqueItems ? true : null,
        Description = description,
    };

    /// <summary>A closed object: exactly the listed members, the required ones always present.</summary>
    public static OpenApiSchema Object(IEnumerable<(string Name, IOpenApiSchema Schema)> properties, IEnumerable<string> required, string? description = null)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            AdditionalPropertiesAllowed = false,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            Required = new HashSet<string>(required, StringComparer.Ordinal),
        };
        foreach (var (name, property) in properties)
        {
            schema.Properties[name] = property;
        }
        return schema;
    }

    public static OpenApiSchemaReference Ref(string name, OpenApiDocument document) => new(name, document);

    /// <summary>A reference that may also be null (OpenAPI 3.1: <c>oneOf [ref, {type: null}]</c>).</summary>
    public static OpenApiSchema NullableRef(string name, OpenApiDocument document, string? description = null) => new()
    {
        Description = description,
        OneOf = [Ref(name, document), new OpenApiSchema { Type = JsonSchemaType.Null }],
    };

    private static JsonSchemaType Nullable(JsonSchemaType type, bool nullable) => nullable ? type | JsonSchemaType.Null : type;
}
