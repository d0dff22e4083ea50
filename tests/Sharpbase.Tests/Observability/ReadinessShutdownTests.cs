using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

public sealed class ReadinessShutdownTests : IAsyncLifetime, IDisposable
{
    private readonly ManualResetEventSlim _stopping = new();
    private readonly ManualResetEventSlim _probed = new();
    private SharpbaseServer _server = null!;

    // Holds the shutdown at its first step (stopping signalled, still listening) until the test has probed readiness.
    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync(dev: false, services: services =>
        services.AddHostedService(provider => new StopGate(provider.GetRequiredService<IHostApplicationLifetime>(), _stopping, _probed)));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _stopping.Dispose();
        _probed.Dispose();
    }

    [Fact]
    public async Task Ready_WhileShuttingDown_Answers503WithRetryAfter()
    {
        using (var before = await _server.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var stop = Task.Run(_server.StopAsync);
        Assert.True(_stopping.Wait(TimeSpan.FromSeconds(10)), "the server did not start stopping");
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };
        HttpResponseMessage during;
        try
        {
            during = await client.GetAsync("/health/ready");
        }
        finally
        {
            _probed.Set();
        }
        await stop;

        using (during)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.Equal("unavailable", (await during.JsonAsync()).GetProperty("code").GetString());
            Assert.NotNull(during.Headers.RetryAfter);
        }
    }

    private sealed class StopGate(IHostApplicationLifetime lifetime, ManualResetEventSlim stopping, ManualResetEventSlim probed) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(() =>
            {
                stopping.Set();
                probed.Wait(TimeSpan.FromSeconds(10));
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
