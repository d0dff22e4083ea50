using Microsoft.Extensions.Hosting;

namespace Sharpbase.Protection;

// Resolving the settings checks them: a bad policy or CORS stops the start with its settings path.
internal sealed class ProtectionStartupService(ProtectionSettings settings, RedisRateLimiter redis) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        settings.Redis is { } endpoint ? redis.ConnectAsync(endpoint, cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
