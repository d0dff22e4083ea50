using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;

namespace Sharpbase.GraphQL;

/// <summary>One GraphQL-over-HTTP request: the query text, the operation to run and its variables.</summary>
internal sealed record GraphQLRequest(string Query, string? OperationName, Inputs? Variables)
{
    private static readonly GraphQLSerializer Reader = new(GraphQLJson.Configure);

    /// <summary>Reads <c>{"query", "operationName", "variables", "extensions"}</c>; null with a reason when it is not one.</summary>
    public static GraphQLRequest? FromJson(JsonElement body, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "a GraphQL request is a JSON object with a 'query' string";
            return null;
        }
        string? query = null;
        string? operation = null;
        Inputs? variables = null;
        foreach (var member in body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "query" when member.Value.ValueKind == JsonValueKind.String:
                    query = member.Value.GetString();
                    break;
                case "operationName" when member.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    operation = member.Value.GetString();
                    break;
                case "variables" when member.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                    variables = member.Value.ValueKind == JsonValueKind.Null ? null : Reader.ReadNode<Inputs>(member.Value);
                    break;
                case "extensions" when member.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                    break;
                case "query" or "operationName" or "variables" or "extensions":
                    error = $"'{member.Name}' has the wrong type";
                    return null;
                default:
                    error = $"unknown member '{Records.EchoedText.Bound(member.Name)}'; a GraphQL request has query, operationName, variables and extensions";
                    return null;
            }
        }
        if (query is null)
        {
            error = "the request has no 'query' string";
            return null;
        }
        return new GraphQLRequest(query, operation, variables);
    }

    /// <summary>Reads the <c>query</c>, <c>operationName</c> and <c>variables</c> (JSON text) query parameters of a GET.</summary>
    public static GraphQLRequest? FromQueryString(Microsoft.AspNetCore.Http.IQueryCollection parameters, out string? error)
    {
        error = null;
        foreach (var (key, values) in parameters)
        {
            if (key is not ("query" or "operationName" or "variables" or "extensions") || values.Count != 1)
            {
                error = values.Count != 1 ? $"query parameter '{Records.EchoedText.Bound(key)}' is given more than once" : $"unknown query parameter '{Records.EchoedText.Bound(key)}'";
                return null;
            }
        }
        if (!parameters.TryGetValue("query", out var query))
        {
            error = "the request has no 'query' parameter";
            return null;
        }
        Inputs? variables = null;
        if (parameters.TryGetValue("variables", out var text) && text.ToString().Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(text.ToString());
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = "'variables' must be a JSON object";
                    return null;
                }
                variables = Reader.ReadNode<Inputs>(document.RootElement);
            }
            catch (JsonException)
            {
                error = "'variables' is not valid JSON";
                return null;
            }
        }
        var operation = parameters.TryGetValue("operationName", out var name) && name.ToString().Length > 0 ? name.ToString() : null;
        return new GraphQLRequest(query.ToString(), operation, variables);
    }
}
