using System.Net;
using System.Text;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.GraphQL;

/// <summary>Sends GraphQL requests over HTTP to a test server.</summary>
internal static class GraphQLClient
{
    public static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(SharpbaseServer server, string query, object? variables = null, Action<HttpRequestMessage>? caller = null) =>
        SendAsync(server, new { query, variables }, caller);

    /// <summary>Posts a document with several operations, naming the one to run.</summary>
    public static Task<(HttpStatusCode Status, JsonElement Body)> PostOperationAsync(SharpbaseServer server, string query, string operationName, Action<HttpRequestMessage>? caller = null) =>
        SendAsync(server, new { query, operationName }, caller);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(SharpbaseServer server, object payload, Action<HttpRequestMessage>? caller)
    {
        var json = JsonSerializer.Serialize(payload);
        using var response = await server.PostAsync("/graphql", json, caller);
        var text = await response.Content.ReadAsStringAsync();
        Responses.AssertNoLeak(text);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Runs a query that must succeed (200, no errors) and returns its data.</summary>
    public static async Task<JsonElement> DataAsync(SharpbaseServer server, string query, object? variables = null, Action<HttpRequestMessage>? caller = null)
    {
        var (status, body) = await PostAsync(server, query, variables, caller);
        Assert.True(status == HttpStatusCode.OK && !body.TryGetProperty("errors", out _), $"expected data, got {(int)status}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>The <c>extensions.code</c> of each error.</summary>
    public static string[] Codes(JsonElement body) =>
        [.. body.GetProperty("errors").EnumerateArray().Select(e => e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var c) ? c.GetString()! : "")];

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);
}
