using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>
/// The component schemas of one collection: the record as returned (<c>Post</c>), the create and
/// merge-patch bodies (<c>PostCreate</c>, <c>PostUpdate</c>), a page of a list (<c>PostsList</c>) and the
/// expanded relations (<c>PostExpand</c>). Hidden fields are never in what is returned; they can be written.
/// </summary>
internal static class CollectionSchemas
{
    private const int InstantLength = 24;

    public static void Add(OpenApiDocument document, AppSchema schema, CollectionDef collection, ClientNames names, DocumentLimits limits)
    {
        var schemas = document.Components!.Schemas!;
        var name = names.Record(collection);
        var relations = collection.Fields.Where(f => f is { Hidden: false, Type: FieldType.Relation }).ToList();
        if (relations.Count > 0)
        {
            schemas[name + "Expand"] = Expand(document, schema, relations, names, collection);
        }
        schemas[name] = Record(document, collection, names, limits, relations.Count > 0);
        schemas[name + "Create"] = Create(collection, limits);
        schemas[name + "Update"] = Update(collection, limits);
        schemas[names.Plural(collection) + "List"] = Schemas.Object(
            [
                ("items", Schemas.Array(Schemas.Ref(name, document), limits.MaxPageSize, $"At most `limit` records ({limits.DefaultPageSize} by default, {limits.MaxPageSize} at most).")),
                ("next_cursor", Schemas.Pattern(4096, "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", "Pass as `after` for the next page; null on the last page.", nullable: true)),
                ("total", Schemas.Integer(0, Schemas.MaxInt64, "How many records the filter matches; only with `count=true`.")),
            ],
            ["items", "next_cursor"],
            $"A page of {collection.Name}.");
    }

    public static JsonObject Example(CollectionDef collection)
    {
        var example = new JsonObject
        {
            ["id"] = "0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80",
            ["created_at"] = "2026-01-31T09:30:00.000Z",
            ["updated_at"] = "2026-01-31T09:30:00.000Z",
            ["version"] = 1,
        };
        foreach (var field in collection.Fields.Where(f => !f.Hidden))
        {
            example[field.Name] = FieldSchemas.Example(collection, field);
        }
        return example;
    }

    /// <summary>An example create body: the required fields (and the optional ones) a client may set, or null when one cannot be made.</summary>
    public static JsonObject? CreateExample(CollectionDef collection)
    {
        var example = new JsonObject();
        foreach (var field in collection.Fields.Where(f => !f.Readonly))
        {
            if (!FieldSchemas.HasExample(field))
            {
                return null;
            }
            if (field.Required || field.Type is not (FieldType.Relation or FieldType.Json))
            {
                example[field.Name] = FieldSchemas.Example(collection, field);
            }
        }
        return example;
    }

    private static OpenApiSchema Record(OpenApiDocument document, CollectionDef collection, ClientNames names, DocumentLimits limits, bool expandable)
    {
        var properties = new List<(string, IOpenApiSchema)>
        {
            (SystemFields.Id, ReadOnly(Schemas.String(36, "uuid", description: collection.Auth ? "UUIDv7, chosen by the server." : "UUIDv7, chosen by the server unless given on create."))),
            (SystemFields.CreatedAt, ReadOnly(Schemas.String(InstantLength, "date-time", description: "When the record was created (UTC)."))),
            (SystemFields.UpdatedAt, ReadOnly(Schemas.String(InstantLength, "date-time", description: "When the record was last written (UTC)."))),
            (SystemFields.Version, ReadOnly(Schemas.Integer(1, Schemas.MaxInt64, "Bumped on every write; the record's ETag is its quoted version."))),
        };
        var visible = collection.Fields.Where(f => !f.Hidden).ToList();
        properties.AddRange(visible.Select(f => (f.Name, FieldSchemas.For(collection, f, limits, nullable: !f.Required && !f.IsMultipleRelation))));
        if (expandable)
        {
            properties.Add(("expand", Schemas.Ref(names.Record(collection) + "Expand", document)));
        }
        var record = Schemas.Object(properties, [SystemFields.Id, SystemFields.CreatedAt, SystemFields.UpdatedAt, SystemFields.Version, .. visible.Select(f => f.Name)],
            $"A record of {collection.Name}. With `fields`, only the listed members are present.");
        return record;
    }

    private static OpenApiSchema Create(CollectionDef collection, DocumentLimits limits)
    {
        // An account's id is always the server's choice (RecordInputReader).
        var properties = new List<(string, IOpenApiSchema)>();
        if (!collection.Auth)
        {
            properties.Add((SystemFields.Id, Schemas.String(36, "uuid", description: "Optional: a UUID of the client's choosing (UUIDv7 recommended).")));
        }
        properties.AddRange(collection.Fields.Select(f => (f.Name, Writable(f, FieldSchemas.For(collection, f, limits, nullable: !f.Required && !f.IsMultipleRelation)))));
        var required = collection.Fields.Where(f => f.Required && f.Default is null).Select(f => f.Name);
        var create = Schemas.Object(properties, required, $"The body of a new record of {collection.Name}. Unknown members are refused (422).");
        if (CreateExample(collection) is { } example)
        {
            create.Examples = [example];
        }
        return create;
    }

    private static OpenApiSchema Update(CollectionDef collection, DocumentLimits limits) =>
        Schemas.Object(
            collection.Fields.Select(f => (f.Name, Writable(f, FieldSchemas.For(collection, f, limits, nullable: !f.Required && !f.IsMultipleRelation)))),
            [],
            $"A JSON merge patch (RFC 7396) of a record of {collection.Name}: members present are set, null clears an optional field, absent ones stay.");

    private static OpenApiSchema Expand(OpenApiDocument document, AppSchema schema, List<FieldDef> relations, ClientNames names, CollectionDef owner) =>
        Schemas.Object(
            relations.Select(f =>
            {
                var target = names.Record(schema.FindCollection(f.Target!)!);
                IOpenApiSchema expanded = f.Multiple
                    ? Schemas.Array(Schemas.Ref(target, document), 1000, $"The `{f.Target}` records of `{f.Name}` the caller may view.")
                    : Schemas.NullableRef(target, document, $"The `{f.Target}` record of `{f.Name}`; null when unset or not visible to the caller.");
                return (f.Name, expanded);
            }),
            [],
            $"Relations of {owner.Name} expanded with `expand`; only the requested ones are present.");

    private static IOpenApiSchema Writable(FieldDef field, IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema concrete)
        {
            concrete.ReadOnly = field.Readonly;
            concrete.WriteOnly = field.Hidden;
            if (field.Hidden)
            {
                concrete.Description = (concrete.Description is null ? string.Empty : concrete.Description + " ") + "Hidden: stored, never returned.";
            }
        }
        return schema;
    }

    private static OpenApiSchema ReadOnly(OpenApiSchema schema)
    {
        schema.ReadOnly = true;
        return schema;
    }
}
