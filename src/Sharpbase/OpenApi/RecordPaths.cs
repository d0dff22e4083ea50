using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sharpbase.Query;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>
/// The REST operations of each collection (<c>listPosts</c>, <c>createPost</c>, <c>getPost</c>,
/// <c>updatePost</c>, <c>deletePost</c>) with the security their rules imply, and <c>POST /api/batch</c>.
/// </summary>
internal static class RecordPaths
{
    private const int MaxSelectionLength = 1024;

    public static void Add(OpenApiDocument document, CollectionDef collection, ClientNames names, DocumentLimits limits)
    {
        var record = names.Record(collection);
        var plural = names.Plural(collection);
        var tag = collection.Name;
        var path = "/api/" + collection.Name;
        var itemPath = path + "/{id}";
        var example = CollectionSchemas.Example(collection);
        var visible = string.Join(", ", collection.Fields.Where(f => !f.Hidden).Select(f => "`" + f.Name + "`"));

        var list = Operations.Create(document, "list" + plural, tag, $"List {collection.Name}",
            $"Records of {collection.Name} the list rule lets the caller see, a page at a time. Filterable and sortable fields: `id`, `created_at`, `updated_at`, `version`"
            + (visible.Length > 0 ? ", " + visible : string.Empty) + ".\n\n" + Access(collection.Rules.List), Security(document, collection.Rules.List));
        list.Parameters!.Add(Operations.Query("filter", Schemas.String(QueryLimits.MaxLength),
            "An expression in the filter language, e.g. `status = \"published\" && views > 10`, `title ~ \"net\"`, `tags.name = \"dotnet\"`.", "id != null"));
        list.Parameters.Add(Operations.Query("sort", Schemas.String(MaxSelectionLength),
            "Comma-separated fields, `-` for descending, e.g. `-created_at,id`; always tie-broken by id.", "-created_at"));
        list.Parameters.Add(Operations.Query("limit", Schemas.Integer(1, limits.MaxPageSize), $"Page size ({limits.DefaultPageSize} by default)."));
        list.Parameters.Add(Operations.Query("after", Schemas.Pattern(4096, "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"), "The `next_cursor` of the previous page (opaque and tamper-checked)."));
        list.Parameters.Add(Operations.Query("offset", Schemas.Integer(0, limits.MaxOffset), "Records to skip; page deeper with `after`."));
        AddSelection(list, collection);
        list.Parameters.Add(Operations.Query("count", Schemas.Boolean(), "With `true`, the answer has `total`: how many records match."));
        list.Parameters.Add(IfNoneMatch());
        list.Responses!["200"] = Operations.Json(document, "A page of records.", Schemas.Ref(plural + "List", document),
            new JsonObject { ["items"] = new JsonArray(example.DeepClone()), ["next_cursor"] = null }, "ETag", "Cache-Control");
        list.Responses["304"] = Operations.Empty(document, "The page has not changed since the ETag given in If-None-Match.", "ETag");
        Operations.Problems(document, list, 403, 503);
        Operations.Add(document, path, HttpMethod.Get, list);

        var create = Operations.Create(document, "create" + record, tag, $"Create a record of {collection.Name}",
            "Defaults fill absent fields; read-only fields are for superusers. With an Idempotency-Key, a repeat of the same request answers the first answer again instead of writing twice.\n\n"
            + Access(collection.Rules.Create), Security(document, collection.Rules.Create));
        create.Parameters!.Add(IdempotencyKey());
        create.RequestBody = Operations.Body(Schemas.Ref(record + "Create", document), $"The new record of {collection.Name}.", CollectionSchemas.CreateExample(collection));
        create.Responses!["201"] = Operations.Json(document, "The record as stored.", Schemas.Ref(record, document), example, "ETag", "Location", "Cache-Control", "Idempotent-Replayed");
        Operations.Problems(document, create, 403, 409, 413, 415, 422, 503);
        Operations.Add(document, path, HttpMethod.Post, create);

        var get = Operations.Create(document, "get" + record, tag, $"Get a record of {collection.Name}",
            "A record the caller may not view answers 404, exactly like a missing one.\n\n" + Access(collection.Rules.View), Security(document, collection.Rules.View));
        get.Parameters!.Add(Id(collection));
        AddSelection(get, collection);
        get.Parameters.Add(IfNoneMatch());
        get.Responses!["200"] = Operations.Json(document, "The record.", Schemas.Ref(record, document), example, "ETag", "Cache-Control");
        get.Responses["304"] = Operations.Empty(document, "The record has not changed since the ETag given in If-None-Match.", "ETag");
        Operations.Problems(document, get, 403, 404, 503);
        Operations.Add(document, itemPath, HttpMethod.Get, get);

        var update = Operations.Create(document, "update" + record, tag, $"Update a record of {collection.Name}",
            "A JSON merge patch (RFC 7396). With If-Match, the update happens only if the record is still at that version; with If-None-Match, only if it is at none of the versions given (`*`: never, the record exists). 412 otherwise.\n\n" + Access(collection.Rules.Update),
            Security(document, collection.Rules.Update));
        update.Parameters!.Add(Id(collection));
        update.Parameters.Add(IfMatch());
        update.Parameters.Add(IfNoneMatchOnWrite());
        update.Parameters.Add(IdempotencyKey());
        update.RequestBody = Operations.Body(Schemas.Ref(record + "Update", document), "The members to change.", null, true, "application/json", "application/merge-patch+json");
        update.Responses!["200"] = Operations.Json(document, "The record as stored.", Schemas.Ref(record, document), example, "ETag", "Cache-Control", "Idempotent-Replayed");
        Operations.Problems(document, update, 403, 404, 409, 412, 413, 415, 422, 503);
        Operations.Add(document, itemPath, HttpMethod.Patch, update);

        var delete = Operations.Create(document, "delete" + record, tag, $"Delete a record of {collection.Name}",
            "With If-Match, the delete happens only if the record is still at that version; with If-None-Match, only if it is at none of the versions given (412 otherwise). A record a required relation still points at cannot be deleted (409).\n\n"
            + Access(collection.Rules.Delete), Security(document, collection.Rules.Delete));
        delete.Parameters!.Add(Id(collection));
        delete.Parameters.Add(IfMatch());
        delete.Parameters.Add(IfNoneMatchOnWrite());
        delete.Responses!["204"] = Operations.Empty(document, "Deleted.");
        Operations.Problems(document, delete, 403, 404, 409, 412, 503);
        Operations.Add(document, itemPath, HttpMethod.Delete, delete);
    }

    public static void AddBatch(OpenApiDocument document, AppSchema schema, DocumentLimits limits)
    {
        var collections = schema.Collections.Select(c => c.Name).ToList();
        var urlPattern = "^/api/(" + string.Join("|", collections) + ")(/[^/]+)?$";
        var operationSchema = Schemas.Object(
            [
                ("method", Schemas.Enum(["POST", "PATCH", "DELETE"], "POST on /api/{collection}; PATCH or DELETE on /api/{collection}/{id}.")),
                ("url", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1024, Pattern = urlPattern, Description = "The record's route." }),
                ("body", new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The create body or merge patch; absent for DELETE." }),
            ],
            ["method", "url"]);
        document.Components!.Schemas!["BatchOperation"] = operationSchema;
        document.Components.Schemas["BatchRequest"] = Schemas.Object(
            [("requests", Schemas.Array(Schemas.Ref("BatchOperation", document), limits.MaxBatchSize, minItems: 1))], ["requests"]);
        document.Components.Schemas["BatchResult"] = Schemas.Object(
            [
                ("status", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Enum = [200, 201, 204], Minimum = "200", Maximum = "204" }),
                ("body", new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The record written; absent for a delete." }),
            ],
            ["status"]);
        document.Components.Schemas["BatchResponse"] = Schemas.Object(
            [("results", Schemas.Array(Schemas.Ref("BatchResult", document), limits.MaxBatchSize, "One result per request, in order."))], ["results"]);
        var batch = Operations.Create(document, "batch", "records", "Several writes in one transaction",
            "Creates, updates and deletes on any collections, all or nothing: on the first failure nothing is written and the answer is that request's problem with its `index`. "
            + "Each request is checked against its collection's rules. With an Idempotency-Key, a repeat of the same batch answers the first answer again instead of writing twice.",
            Operations.Anyone(document));
        batch.Parameters!.Add(IdempotencyKey());
        batch.RequestBody = Operations.Body(Schemas.Ref("BatchRequest", document), "The writes, in order.", new JsonObject
        {
            ["requests"] = new JsonArray(new JsonObject { ["method"] = "DELETE", ["url"] = "/api/" + collections.FirstOrDefault() + "/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80" }),
        });
        batch.Responses!["200"] = Operations.Json(document, "Every write succeeded.", Schemas.Ref("BatchResponse", document), null, "Cache-Control", "Idempotent-Replayed");
        Operations.Problems(document, batch, 403, 404, 409, 412, 413, 415, 422, 503);
        Operations.Add(document, "/api/batch", HttpMethod.Post, batch);
    }

    private static void AddSelection(OpenApiOperation operation, CollectionDef collection)
    {
        operation.Parameters!.Add(Operations.Query("fields", Schemas.String(MaxSelectionLength),
            "Comma-separated members to return, e.g. `id,title`; the records then hold only those."));
        var relations = collection.Fields.Where(f => f is { Hidden: false, Type: FieldType.Relation }).Select(f => f.Name).ToList();
        if (relations.Count > 0)
        {
            operation.Parameters.Add(Operations.Query("expand", Schemas.String(MaxSelectionLength),
                $"Comma-separated relations to include under `expand` (up to 2 levels, e.g. `{relations[0]}`); relations of {collection.Name}: {string.Join(", ", relations)}.",
                JsonValue.Create(relations[0])));
        }
    }

    private static OpenApiParameter Id(CollectionDef collection) => Operations.Path("id", Schemas.String(36, "uuid"), $"The id of a record of {collection.Name}.");

    private static OpenApiParameter IfNoneMatch() => Operations.Header("If-None-Match", Schemas.String(1024),
        "An ETag from an earlier answer: when it is still current the answer is 304 without a body.");

    private static OpenApiParameter IfNoneMatchOnWrite() => Operations.Header("If-None-Match", Schemas.String(1024),
        "ETags (`\"3\"`, weak tags compared weakly) the record must not be at, or `*`: the write happens only if none matches, 412 otherwise.");

    private static OpenApiParameter IfMatch() => Operations.Header("If-Match", Schemas.String(1024),
        "The record's ETag (`\"3\"`): the write happens only at that version, 412 otherwise.", JsonValue.Create("\"1\""));

    private static OpenApiParameter IdempotencyKey() => Operations.Header("Idempotency-Key",
        new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255, Pattern = "^[!-~]+$" },
        "1 to 255 visible ASCII characters. A retry with the same key and body answers the first answer (for 24 h) instead of writing twice; "
        + "the same key with another body is 422, one still running is 409.");

    /// <summary>Who may call: an absent rule is superusers only, <c>"true"</c> anyone, an expression decides per record.</summary>
    private static List<OpenApiSecurityRequirement> Security(OpenApiDocument document, string? rule) =>
        rule is null ? Operations.SignedIn(document) : Operations.Anyone(document);

    private static string Access(string? rule) => rule switch
    {
        null => "**Access:** superusers only (the collection has no rule for this action); anyone else gets 403.",
        _ when rule.Trim() == "true" => "**Access:** anyone.",
        _ => $"**Access:** callers and records for which the rule `{rule}` holds.",
    };
}
