using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

/// <summary>
/// Who may read <c>/metrics</c>: a caller on this machine, or anyone with the metrics token; never a
/// request a proxy forwarded, even from a proxy on this machine (the usual nginx or Caddy in front).
/// </summary>
public sealed class MetricsAccessTests : IAsyncLifetime
{
    private const string Token = "m3trics-t0ken-for-the-scraper";

    private const string Schema = $$"""
        collections:
          notes:
            fields:
              text: { type: text }
        settings:
          trusted_proxies: ["127.0.0.1"]
          metrics: { token: "{{Token}}" }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync(Schema);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Metrics_LoopbackCallerWithoutForwardingHeaders_Served()
    {
        using var response = await _server.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Real-IP", "127.0.0.1")]
    [InlineData("X-Forwarded-Host", "api.example.com")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("Via", "1.1 nginx")]
    public async Task Metrics_ForwardedByAProxyOnThisMachine_RefusedWithoutTheToken(string header, string value)
    {
        using var refused = await _server.GetAsync("/metrics", r => r.Headers.TryAddWithoutValidation(header, value));
        using var wrongToken = await _server.GetAsync("/metrics", r =>
        {
            r.Headers.TryAddWithoutValidation(header, value);
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer not-the-token");
        });
        using var withToken = await _server.GetAsync("/metrics", r =>
        {
            r.Headers.TryAddWithoutValidation(header, value);
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Token);
        });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# TYPE", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }
}
