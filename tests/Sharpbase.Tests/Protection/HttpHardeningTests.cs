using System.Net;
using System.Net.Http.Headers;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Process;
using static Sharpbase.Tests.Protection.ProtectionServers;

namespace Sharpbase.Tests.Protection;

/// <summary>Security headers, 405 for unknown verbs, and the request timeout.</summary>
public abstract class HttpHardeningTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync<TDatabase>("settings:\n  request_timeout: 1s\n");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("GET", "/health/live", HttpStatusCode.OK)]
    [InlineData("GET", "/api/posts", HttpStatusCode.OK)]
    [InlineData("GET", "/nowhere", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/posts", HttpStatusCode.BadRequest)]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string method, string url, HttpStatusCode status)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), url, method == "POST" ? "{not json" : null);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Resource-Policy"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        // Plain HTTP: HSTS is only sent over TLS.
        Assert.Equal("", Header(response, "Strict-Transport-Security"));
        // CORS is not configured: no Vary on Origin, no CORS headers.
        Assert.Equal("", Header(response, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("FOO", "/api/posts")]
    [InlineData("TRACE", "/api/posts")]
    [InlineData("PUT", "/health/live")]
    public async Task UnknownVerb_OnAKnownRoute_Is405Problem(string method, string url)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), url);

        var problem = await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Contains(method, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SlowBody_LongerThanTheRequestTimeout_Is503Problem()
    {
        var release = new TaskCompletionSource();
        // The client waits for its body to be sent before it reads the answer; send the rest well after the timeout.
        _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => release.TrySetResult(), TaskScheduler.Default);
        using var content = new SlowContent("""{"title":"a slow body that never finishes in time"}""", release.Task);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = content };
        try
        {
            using var response = await _server.Client.SendAsync(request);

            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "request_timeout");
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Contains("too long", problem.GetProperty("detail").GetString());
        }
        finally
        {
            release.TrySetResult();
        }
        Assert.Equal(0, _server.CountRows("posts"));
        // The deadlines of the requests after it start afresh: a quick write succeeds.
        for (var i = 0; i < 3; i++)
        {
            using var quick = await _server.PostAsync("/api/posts", $$"""{"title":"quick {{i}}"}""");
            Assert.Equal(HttpStatusCode.Created, quick.StatusCode);
        }
        Assert.Equal(3, _server.CountRows("posts"));
    }
}

public sealed class HttpHardeningTestsOnSqlite : HttpHardeningTests<Sqlite>;

public sealed class HttpHardeningTestsOnPostgres : HttpHardeningTests<Postgres>;
