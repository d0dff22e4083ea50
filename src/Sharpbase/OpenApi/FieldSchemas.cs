using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>
/// The JSON Schema of one declared field, with the bounds the server enforces: lengths and patterns
/// for text, values for numbers, formats for dates, e-mail, URLs and ids, the values of a select.
/// </summary>
internal static class FieldSchemas
{
    // What the validator accepts (Records/FieldValidator): instants with an offset and up to milliseconds, ids in canonical form.
    private const int MaxInstantLength = 29;
    private const int MaxEmailLength = 254;
    private const int MaxUrlLength = 2048;
    private const int UuidLength = 36;
    private const int MaxRelationIds = 1000;

    /// <summary>A field's schema; <paramref name="nullable"/> when the value may be null (on reads and patches of optional fields).</summary>
    public static IOpenApiSchema For(FieldDef field, DocumentLimits limits, bool nullable)
    {
        var schema = Value(field, limits, nullable);
        schema.Description = Describe(field);
        return schema;
    }

    /// <summary>A field's schema in its collection: an account's roles are a list of distinct names, not any JSON.</summary>
    public static IOpenApiSchema For(CollectionDef collection, FieldDef field, DocumentLimits limits, bool nullable)
    {
        if (!AuthFields.IsRoles(collection, field))
        {
            return For(field, limits, nullable);
        }
        var roles = Schemas.Array(Schemas.String(AuthFields.MaxRoleLength, minLength: 1), AuthFields.MaxRoles,
            "Role names, for rules such as `@auth.roles ?= \"editor\"`: distinct, without surrounding spaces; a PATCH replaces the list.", uniqueItems: true);
        if (nullable)
        {
            roles.Type |= JsonSchemaType.Null;
        }
        return roles;
    }

    /// <summary>An example value of a field in its collection.</summary>
    public static JsonNode? Example(CollectionDef collection, FieldDef field) =>
        AuthFields.IsRoles(collection, field) ? new JsonArray(JsonValue.Create("editor")) : Example(field);

    private static OpenApiSchema Value(FieldDef field, DocumentLimits limits, bool nullable)
    {
        var textMax = (int)Math.Min(field.Max ?? limits.MaxBodyBytes, limits.MaxBodyBytes);
        var textMin = field.Min is { } min ? (int)min : (int?)null;
        switch (field.Type)
        {
            case FieldType.Text:
                // A required text is never empty.
                var text = Schemas.String(textMax, minLength: textMin ?? (field.Required ? 1 : null), nullable: nullable);
                text.Pattern = field.Pattern;
                return text;
            case FieldType.Email:
                var email = Schemas.String((int)Math.Min(field.Max ?? MaxEmailLength, MaxEmailLength), "email", textMin, nullable: nullable);
                email.Pattern = field.Pattern;
                return email;
            case FieldType.Url:
                var url = Schemas.String((int)Math.Min(field.Max ?? MaxUrlLength, MaxUrlLength), "uri", textMin, nullable: nullable);
                url.Pattern = field.Pattern;
                return url;
            case FieldType.Integer:
                return Schemas.Integer(field.Min is { } low ? (long)Math.Ceiling(low) : long.MinValue, field.Max is { } high ? (long)Math.Floor(high) : long.MaxValue,
                    nullable: nullable);
            case FieldType.Number:
                return new OpenApiSchema
                {
                    Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number,
                    Format = "double",
                    Minimum = field.Min?.ToString(CultureInfo.InvariantCulture),
                    Maximum = field.Max?.ToString(CultureInfo.InvariantCulture),
                };
            case FieldType.Boolean:
                return Schemas.Boolean(nullable: nullable);
            case FieldType.DateTime:
                return Schemas.String(MaxInstantLength, "date-time", nullable: nullable);
            case FieldType.Date:
                return Schemas.String(10, "date", nullable: nullable);
            case FieldType.Uuid:
                return Schemas.String(UuidLength, "uuid", nullable: nullable);
            case FieldType.Select:
                return Schemas.Enum(field.Values, nullable: nullable);
            case FieldType.Relation when field.Multiple:
                return Schemas.Array(Schemas.String(UuidLength, "uuid"), MaxRelationIds, minItems: field.Required ? 1 : null, uniqueItems: true);
            case FieldType.Relation:
                return Schemas.String(UuidLength, "uuid", nullable: nullable);
            case FieldType.Json:
                // Any JSON value: no type, so objects, arrays, strings, numbers, booleans and null all validate.
                return new OpenApiSchema();
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Type, "unknown field type");
        }
    }

    private static string? Describe(FieldDef field)
    {
        var notes = new List<string>();
        switch (field.Type)
        {
            case FieldType.Relation:
                notes.Add(field.Multiple ? $"Ids of `{field.Target}` records." : $"The id of a `{field.Target}` record.");
                break;
            case FieldType.DateTime:
                notes.Add("ISO 8601 with a time zone, at most millisecond precision; returned in UTC with `Z`.");
                break;
            case FieldType.Json:
                notes.Add("Any JSON value; a PATCH merges objects (RFC 7396).");
                break;
            case FieldType.Text when field.Min is not null || field.Max is not null:
                notes.Add("Lengths count Unicode characters.");
                break;
        }
        if (field.MinDate is { } after)
        {
            notes.Add($"Not before {after.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}.");
        }
        if (field.MaxDate is { } before)
        {
            notes.Add($"Not after {before.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}.");
        }
        if (field.Unique)
        {
            notes.Add("Unique: a value another record holds is refused with 409.");
        }
        if (field.Readonly)
        {
            notes.Add("Read-only: only a superuser (or a default) sets it.");
        }
        if (field.Default is { } fallback)
        {
            notes.Add(fallback.Kind switch
            {
                DefaultKind.Now => "Defaults to the time of the write.",
                DefaultKind.AuthId => "Defaults to the id of the signed-in caller.",
                _ => $"Defaults to `{fallback.LiteralJson}`.",
            });
        }
        return notes.Count == 0 ? null : string.Join(" ", notes);
    }

    /// <summary>A plausible value for examples; valid against the field's schema.</summary>
    public static JsonNode? Example(FieldDef field) => field.Type switch
    {
        FieldType.Text => JsonValue.Create(TextExample(field)),
        FieldType.Email => JsonValue.Create("ann@example.com"),
        FieldType.Url => JsonValue.Create("https://example.com/a"),
        FieldType.Integer => JsonValue.Create(field.Min is { } min ? (long)Math.Ceiling(min) : 0L),
        FieldType.Number => JsonValue.Create(field.Min ?? 0.0),
        FieldType.Boolean => JsonValue.Create(false),
        FieldType.DateTime => JsonValue.Create("2026-01-31T09:30:00.000Z"),
        FieldType.Date => JsonValue.Create("2026-01-31"),
        FieldType.Uuid => JsonValue.Create("0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80"),
        FieldType.Select => JsonValue.Create(field.Values[0]),
        FieldType.Relation when field.Multiple => new JsonArray(JsonValue.Create("0190a5b2-7c3e-7def-8a12-3b4c5d6e7f81")),
        FieldType.Relation => JsonValue.Create("0190a5b2-7c3e-7def-8a12-3b4c5d6e7f82"),
        _ => new JsonObject { ["key"] = "value" },
    };

    // Only when no pattern constrains the text: an example must also match the pattern, which cannot be guessed.
    private static string TextExample(FieldDef field)
    {
        var text = field.Name.Replace('_', ' ');
        var min = (int)(field.Min ?? 0);
        var max = (int)(field.Max ?? 100);
        if (text.Length < min)
        {
            text = text.PadRight(min, 'x');
        }
        return text.Length > max ? text[..max] : text;
    }

    /// <summary>True when an example can be given for the field (a text pattern cannot be satisfied by guessing).</summary>
    public static bool HasExample(FieldDef field) => field.Pattern is null;
}
