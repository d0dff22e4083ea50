using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sharpbase.Admin;
using Sharpbase.Auth;
using Sharpbase.Caching;
using Sharpbase.Cluster;
using Sharpbase.Errors;
using Sharpbase.GraphQL;
using Sharpbase.Mail;
using Sharpbase.Observability;
using Sharpbase.OpenApi;
using Sharpbase.Protection;
using Sharpbase.Rest;

namespace Sharpbase.Hosting;

/// <summary>The entry points: <c>AddSharpbase()</c> on services, <c>UseSharpbase()</c> on the app.</summary>
public static class SharpbaseExtensions
{
    /// <summary>Registers the Sharpbase runtime; it loads the schema and migrates the database at start.</summary>
    public static IServiceCollection AddSharpbase(this IServiceCollection services, Action<SharpbaseOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Limits and thresholds from configuration section `server` (settings: { server: { max_page_size: 100 } },
        // or SHARPBASE__SERVER__MAXPAGESIZE); the host's explicit values are applied after.
        var options = services.AddOptions<SharpbaseOptions>().BindConfiguration("server");
        // The database is a top-level setting (settings: { database: postgres://… }, or SHARPBASE__DATABASE).
        options.Configure<IConfiguration>(static (o, configuration) => o.Database = configuration["database"] is { Length: > 0 } database ? database : o.Database);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.AddOptions<AuthOptions>().BindConfiguration("auth");
        services.AddOptions<MailOptions>().BindConfiguration("mail");
        services.AddOptions<SuperuserSeed>().BindConfiguration("superuser");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SharpbaseRuntime>();
        services.TryAddSingleton<IdempotencyGate>();
        services.AddHybridCache();
        services.TryAddSingleton<ListCache>();
        services.TryAddSingleton<ViewCache>();
        services.TryAddSingleton<RecordHandlers>();
        services.AddMetrics();
        services.TryAddSingleton<SharpbaseMetrics>();
        services.TryAddSingleton<ListTraffic>();
        services.AddHostedService<SharpbaseStartupService>();
        services.AddSharpbaseCluster();
        services.AddSharpbaseProtection();
        services.AddSharpbaseGraphQL();
        services.AddOpenApiDocs();
        return services;
    }

    /// <summary>Adds the error handling and maps every Sharpbase route.</summary>
    public static WebApplication UseSharpbase(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<InFlightMiddleware>();
        app.UseSharpbaseProtection(static authentication => authentication.UseMiddleware<AuthenticationMiddleware>());
        app.MapRest();
        app.MapGraphQL();
        app.MapAuth();
        app.MapMfa();
        app.MapApiKeys();
        app.MapHealth();
        app.MapOpenApiDocs();
        app.MapAdmin();
        return app;
    }
}
