using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>Builds the OpenAPI 3.1 document of a schema: every collection's schemas and operations, the batch route, the auth and health routes.</summary>
internal static class OpenApiDocumentBuilder
{
    public static OpenApiDocument Build(AppSchema schema, DocumentLimits limits, string version)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "Sharpbase API",
                Version = version,
                Description = "REST API generated from the schema file `" + Path.GetFileName(schema.SourcePath) + "`. Errors are RFC 9457 problems "
                    + "(`application/problem+json`) with a stable `code` and a `trace_id`. Records carry an ETag (their version): send it in If-Match to "
                    + "update or delete only an unchanged record, or in If-None-Match to get 304 when nothing changed.",
                License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                Contact = new OpenApiContact { Name = "The operator of this server" },
            },
            Servers =
            [
                new OpenApiServer
                {
                    Url = "/",
                    Description = limits.DevMode ? "This server (local development)" : "This server (production)",
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
                },
            ],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Responses = new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal),
                Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal),
            },
            Paths = [],
            Tags = new HashSet<OpenApiTag>(),
        };
        var names = new ClientNames(schema);
        SharedComponents.Add(document, limits);
        foreach (var collection in schema.Collections)
        {
            document.Tags.Add(new OpenApiTag { Name = collection.Name, Description = $"Records of the `{collection.Name}` collection." + (collection.Auth ? " This is the auth collection: its records are the user accounts." : string.Empty) });
            CollectionSchemas.Add(document, schema, collection, names, limits);
            RecordPaths.Add(document, collection, names, limits);
        }
        document.Tags.Add(new OpenApiTag { Name = "records", Description = "Writes across collections." });
        document.Tags.Add(new OpenApiTag { Name = "auth", Description = "Accounts, sessions, second factor, API keys." });
        document.Tags.Add(new OpenApiTag { Name = "health", Description = "Liveness and readiness." });
        RecordPaths.AddBatch(document, schema, limits);
        AuthSchemas.Add(document, schema, names, limits);
        AuthPaths.Add(document, schema);
        return document;
    }
}
