using System.Net;
using System.Text.Json;

namespace Sharpbase.Tests.Infrastructure;

public static class Responses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and code, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        Assert.StartsWith("urn:sharpbase:problem:", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.True(problem.TryGetProperty("instance", out _));
        AssertNoLeak(text);
        return problem;
    }

    /// <summary>No stack trace, SQL or internal type name in a response body.</summary>
    public static void AssertNoLeak(string body)
    {
        foreach (var marker in new[] { "   at ", "Exception", "SQLite", "SELECT ", "INSERT ", "UPDATE \"", "_sb_", "Sharpbase.", "System." })
        {
            Assert.DoesNotContain(marker, body, StringComparison.Ordinal);
        }
    }

    public static string[] Errors(this JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
