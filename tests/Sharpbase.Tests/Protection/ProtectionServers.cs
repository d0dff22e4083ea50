using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Protection;

/// <summary>Servers for the protection tests: a small open schema plus a settings section, and a clock the test moves.</summary>
internal static class ProtectionServers
{
    public const string Collections = """
        collections:
          users:
            auth: true
          posts:
            rules: { list: "true", view: "true", create: "true", update: "true", delete: "true" }
            fields:
              title: { type: text }
          notes:
            rules: { list: "true", view: "true", create: "true" }
            fields:
              text: { type: text }

        """;

    public static Task<SharpbaseServer> StartAsync(string settings, ManualTime? time = null) => StartAsync<Sqlite>(settings, time);

    public static Task<SharpbaseServer> StartAsync<TDatabase>(string settings, ManualTime? time = null) where TDatabase : ITestDatabaseKind =>
        SharpbaseServer.StartAsync<TDatabase>(Collections + settings, dev: false,
            services: time is null ? null : s => s.AddSingleton<TimeProvider>(time));

    /// <summary>A request whose path goes out exactly as written (no URI canonicalization).</summary>
    public static HttpRequestMessage Raw(SharpbaseServer server, HttpMethod method, string pathAndQuery, string? json = null)
    {
        var uri = new Uri(server.BaseAddress.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        return request;
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    /// <summary>Asserts a 429 quota-exceeded problem and returns it.</summary>
    public static async Task<JsonElement> AssertLimitedAsync(HttpResponseMessage response, string policy)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("https://iana.org/assignments/http-problem-types#quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains(policy, problem.GetProperty("detail").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        return problem;
    }

    public static void AssertNotLimited(HttpResponseMessage response) =>
        Assert.True(response.StatusCode != HttpStatusCode.TooManyRequests, $"unexpected 429 ({Header(response, "RateLimit")})");
}
