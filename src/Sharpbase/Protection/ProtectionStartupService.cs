using Microsoft.Extensions.Hosting;

namespace Sharpbase.Protection;

// Resolving the settings checks them: a bad policy or CORS stops the start with its settings path.
internal sealed class ProtectionStartupService : IHostedService
{
    public ProtectionStartupService(ProtectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
