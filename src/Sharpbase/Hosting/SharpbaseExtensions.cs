using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
        // Every settings section is read when the server starts (ValidateOnStart), so a value that does
        // not convert stops the start with the key's name instead of failing the first request that reads it.
        var options = services.AddOptions<SharpbaseOptions>().BindConfiguration("server")
            .Validate(static o => o.MaxBodyBytes >= 1 && o.MaxJsonDepth >= 1 && o.DefaultPageSize >= 1 && o.MaxPageSize >= o.DefaultPageSize,
                "server: max_body_bytes, max_json_depth and default_page_size must be at least 1, and max_page_size at least default_page_size")
            .Validate(static o => o.DatabaseBusyTimeout > TimeSpan.Zero && o.SlowQueryThreshold >= TimeSpan.Zero,
                "server: database_busy_timeout must be positive and slow_query_threshold not negative")
            .ValidateSettingsKeys()
            .ValidateOnStart();
        // The database is a top-level setting (settings: { database: postgres://… }, or SHARPBASE__DATABASE).
        options.Configure<IConfiguration>(static (o, configuration) => o.Database = configuration["database"] is { Length: > 0 } database ? database : o.Database);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.AddOptions<AuthOptions>().BindConfiguration("auth")
            .Validate(static o => o.Jwt.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > TimeSpan.Zero && o.ResetTokenLifetime > TimeSpan.Zero
                    && o.VerifyTokenLifetime > TimeSpan.Zero && o.MfaTokenLifetime > TimeSpan.Zero && o.ThrottleWindow > TimeSpan.Zero,
                "auth: every token lifetime (jwt.access_token_lifetime, refresh_token_lifetime, reset_token_lifetime, verify_token_lifetime, mfa_token_lifetime) and throttle_window must be positive")
            .Validate(static o => o.FailuresBeforeDelay >= 1 && o.FailuresBeforeLock >= 1 && o.FailuresPerAddress >= 1,
                "auth: failures_before_delay, failures_before_lock and failures_per_address must be at least 1")
            .ValidateSettingsKeys()
            .ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration("mail")
            .Validate(static o => o.SmtpPort is >= 1 and <= 65535 && o.MaxPerMinute >= 1 && o.MaxPerRecipientPerHour >= 1,
                "mail: smtp_port must be 1–65535, and max_per_minute and max_per_recipient_per_hour at least 1")
            .ValidateSettingsKeys()
            .ValidateOnStart();
        services.AddOptions<SuperuserSeed>().BindConfiguration("superuser")
            .Validate(static o => string.IsNullOrEmpty(o.Email) == string.IsNullOrEmpty(o.Password),
                "superuser: email and password go together (SHARPBASE__SUPERUSER__EMAIL and SHARPBASE__SUPERUSER__PASSWORD): set both, or neither")
            .ValidateSettingsKeys()
            .ValidateOnStart();
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
        var routes = app.MapGroup(string.Empty);
        routes.MapRest();
        routes.MapGraphQL();
        routes.MapAuth();
        routes.MapMfa();
        routes.MapApiKeys();
        routes.MapHealth();
        routes.MapOpenApiDocs();
        routes.MapAdmin();
        ((IEndpointConventionBuilder)routes).Add(AnswerHeadLikeGet);
        return app;
    }

    /// <summary>
    /// Every GET route takes HEAD too (RFC 9110 §9.3.2: a GET without its content): the same
    /// handler, checks and headers, and Kestrel sends no body.
    /// </summary>
    public static void AnswerHeadLikeGet(EndpointBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
            && methods.HttpMethods.Contains(HttpMethods.Get) && !methods.HttpMethods.Contains(HttpMethods.Head))
        {
            endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
        }
    }
}
