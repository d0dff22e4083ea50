using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public sealed class ProductionModeTests : IAsyncLifetime
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync(TestSchemas.Everything, dev: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/tags", null)]
    [InlineData("POST", "/api/tags", """{"name":"a"}""")]
    [InlineData("GET", "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", null)]
    [InlineData("PATCH", "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", """{"name":"a"}""")]
    [InlineData("DELETE", "/api/tags/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", null)]
    [InlineData("POST", "/api/batch", """{"requests":[{"method":"POST","url":"/api/tags","body":{"name":"a"}}]}""")]
    public async Task AnyRecordRoute_WithoutDevMode_Is403AndWritesNothing(string method, string url, string? body)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), url, body);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, _server.CountRows("tags"));
    }

    [Fact]
    public async Task UnknownCollection_WithoutDevMode_IsStill404()
    {
        using var response = await _server.GetAsync("/api/nothing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task EveryResponse_CarriesSecurityHeaders()
    {
        using var response = await _server.GetAsync("/api/tags");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }
}
