using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Sharpbase.OpenApi;

/// <summary>Building blocks of operations: who may call them, their JSON answers with headers, their problem answers.</summary>
internal static class Operations
{
    /// <summary>Problems any route can answer: an unreadable request, bad credentials, a rate limit, a fault.</summary>
    private static readonly int[] Always = [400, 401, 429, 500];

    public static OpenApiOperation Create(OpenApiDocument document, string operationId, string tag, string summary, string description, List<OpenApiSecurityRequirement> security) => new()
    {
        OperationId = operationId,
        Summary = summary,
        Description = description,
        Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
        Security = security,
        Responses = [],
        Parameters = [],
    };

    /// <summary>Anyone, signed in or not (a presented token must still be valid).</summary>
    public static List<OpenApiSecurityRequirement> Anyone(OpenApiDocument document) => [[], Requirement(document, SharedComponents.AccessToken), Requirement(document, SharedComponents.ApiKey)];

    /// <summary>A signed-in caller, by access token or API key.</summary>
    public static List<OpenApiSecurityRequirement> SignedIn(OpenApiDocument document) => [Requirement(document, SharedComponents.AccessToken), Requirement(document, SharedComponents.ApiKey)];

    /// <summary>An access token only: API keys cannot manage the account.</summary>
    public static List<OpenApiSecurityRequirement> AccessTokenOnly(OpenApiDocument document) => [Requirement(document, SharedComponents.AccessToken)];

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) => new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>A JSON answer with the common headers and any of <paramref name="headers"/>.</summary>
    public static OpenApiResponse Json(OpenApiDocument document, string description, IOpenApiSchema schema, JsonNode? example = null, params string[] headers)
    {
        var response = Empty(document, description, headers);
        response.Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema, Example = example } };
        return response;
    }

    /// <summary>An answer without a body (204, 304) with the common headers and any of <paramref name="headers"/>.</summary>
    public static OpenApiResponse Empty(OpenApiDocument document, string description, params string[] headers)
    {
        var all = SharedComponents.CommonHeaders(document);
        foreach (var header in headers)
        {
            all[header] = new OpenApiHeaderReference(header, document);
        }
        return new OpenApiResponse { Description = description, Headers = all };
    }

    /// <summary>Adds the problem answers: those of every route and the given ones.</summary>
    public static void Problems(OpenApiDocument document, OpenApiOperation operation, params int[] statuses)
    {
        foreach (var status in Always.Concat(statuses).Distinct().Order())
        {
            operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = SharedComponents.ProblemRef(document, status);
        }
    }

    /// <summary>A required JSON body.</summary>
    public static OpenApiRequestBody Body(IOpenApiSchema schema, string? description = null, JsonNode? example = null, bool required = true, params string[] mediaTypes)
    {
        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var mediaType in mediaTypes.Length == 0 ? ["application/json"] : mediaTypes)
        {
            content[mediaType] = new OpenApiMediaType { Schema = schema, Example = example };
        }
        return new OpenApiRequestBody { Required = required, Description = description, Content = content };
    }

    public static OpenApiParameter Query(string name, IOpenApiSchema schema, string description, JsonNode? example = null) =>
        new() { Name = name, In = ParameterLocation.Query, Schema = schema, Description = description, Example = example };

    public static OpenApiParameter Header(string name, IOpenApiSchema schema, string description, JsonNode? example = null) =>
        new() { Name = name, In = ParameterLocation.Header, Schema = schema, Description = description, Example = example };

    public static OpenApiParameter Path(string name, IOpenApiSchema schema, string description) =>
        new() { Name = name, In = ParameterLocation.Path, Required = true, Schema = schema, Description = description };

    public static void Add(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        if (!document.Paths.TryGetValue(path, out var item))
        {
            item = new OpenApiPathItem();
            document.Paths[path] = item;
        }
        ((OpenApiPathItem)item).AddOperation(method, operation);
    }
}
