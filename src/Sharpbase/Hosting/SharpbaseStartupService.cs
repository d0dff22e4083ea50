using Microsoft.Extensions.Hosting;

namespace Sharpbase.Hosting;

// Hosted services start before the web server listens, so no request sees a half-started runtime.
internal sealed class SharpbaseStartupService(SharpbaseRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
