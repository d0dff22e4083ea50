using System.Net;
using Sharpbase.Hosting;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Protection.ProtectionServers;

namespace Sharpbase.Tests.Protection;

public abstract class CorsTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Allowed = "https://app.example.com";

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync<TDatabase>($$"""
        settings:
          cors: { origins: ["{{Allowed}}"], credentials: true, max_age: 5m }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> PreflightAsync(string origin, string method, string headers = "content-type") =>
        _server.SendAsync(HttpMethod.Options, "/api/posts", null, r =>
        {
            r.Headers.Add("Origin", origin);
            r.Headers.Add("Access-Control-Request-Method", method);
            r.Headers.Add("Access-Control-Request-Headers", headers);
        });

    [Fact]
    public async Task Preflight_AllowedOrigin_IsAllowed()
    {
        using var response = await PreflightAsync(Allowed, "POST", "content-type,authorization");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Allowed, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("300", Header(response, "Access-Control-Max-Age"));
        Assert.Contains("Origin", Header(response, "Vary"));
    }

    [Theory]
    [InlineData("https://evil.example.com", "POST", "content-type")]
    [InlineData("https://app.example.com.evil.example", "POST", "content-type")]
    [InlineData("http://app.example.com", "POST", "content-type")]
    [InlineData(Allowed, "CONNECT", "content-type")]
    [InlineData(Allowed, "POST", "x-secret-header")]
    public async Task Preflight_RefusedOriginMethodOrHeader_GetsNoPermission(string origin, string method, string headers)
    {
        using var response = await PreflightAsync(origin, method, headers);

        var allowedOrigin = Header(response, "Access-Control-Allow-Origin");
        var allowedMethods = Header(response, "Access-Control-Allow-Methods");
        var allowedHeaders = Header(response, "Access-Control-Allow-Headers");
        Assert.True(allowedOrigin != origin || !allowedMethods.Contains(method, StringComparison.Ordinal) || !allowedHeaders.Contains(headers, StringComparison.OrdinalIgnoreCase),
            $"preflight allowed: {allowedOrigin} {allowedMethods} {allowedHeaders}");
    }

    [Fact]
    public async Task ActualRequest_AllowedOrigin_GetsTheOriginBackAndExposedHeaders()
    {
        using var response = await _server.GetAsync("/api/posts", r => r.Headers.Add("Origin", Allowed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Allowed, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("RateLimit", Header(response, "Access-Control-Expose-Headers"));
        Assert.Contains("Origin", Header(response, "Vary"));
    }

    [Fact]
    public async Task ActualRequest_OtherOrigin_GetsNoCorsHeadersButVariesOnOrigin()
    {
        using var response = await _server.GetAsync("/api/posts", r => r.Headers.Add("Origin", "https://evil.example.com"));

        Assert.Equal("", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("Origin", Header(response, "Vary"));
    }

    [Theory]
    [InlineData("""cors: { origins: ["*"], credentials: true }""", "settings.cors")]
    [InlineData("""cors: { origins: ["app.example.com"] }""", "settings.cors.origins[0]")]
    [InlineData("""rate_limits: [{ name: x, routes: ["POST /a"], per: ip, limit: 1, window: 1 minute }]""", "settings.rate_limits[0].window")]
    [InlineData("""rate_limits: [{ name: x, routes: ["POST /a"], per: everyone, limit: 1, window: 1m }]""", "settings.rate_limits[0].per")]
    [InlineData("""trusted_proxies: ["10.0.0.0/33"]""", "settings.trusted_proxies[0]")]
    public async Task Start_InvalidProtectionSettings_IsRefusedWithTheSettingsPath(string settings, string path)
    {
        var e = await Assert.ThrowsAsync<SharpbaseStartupException>(() => StartAsync<TDatabase>("settings:\n  " + settings + "\n"));

        Assert.StartsWith(path + ":", e.Message);
    }
}

public sealed class CorsTestsOnSqlite : CorsTests<Sqlite>;

public sealed class CorsTestsOnPostgres : CorsTests<Postgres>;
