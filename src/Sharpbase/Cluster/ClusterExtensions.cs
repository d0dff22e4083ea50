using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sharpbase.Cluster;

/// <summary>What nodes share through Redis when <c>settings.redis</c> is set; without it everything stays in the process.</summary>
internal static class ClusterExtensions
{
    /// <summary>Registers the connection and the shared services; register after the runtime's start-up so they attach to a started runtime.</summary>
    public static IServiceCollection AddSharpbaseCluster(this IServiceCollection services)
    {
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<InFlight>();
        services.TryAddSingleton<SharedChanges>();
        services.TryAddSingleton<AuthChannel>();
        // HybridCache takes its second level from here; without Redis there is none (null), so
        // nothing is serialised for a level that does not exist.
        services.TryAddSingleton<IDistributedCache>(static provider =>
            provider.GetRequiredService<RedisConnection>() is { IsConfigured: true } redis ? new SharedDistributedCache(redis) : null!);
        services.AddHostedService<ClusterStartupService>();
        return services;
    }
}
