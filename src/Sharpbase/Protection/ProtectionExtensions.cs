using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Sharpbase.Hosting;

namespace Sharpbase.Protection;

/// <summary>Rate limits, trusted proxies, CORS, security headers and request timeouts.</summary>
public static class ProtectionExtensions
{
    /// <summary>Registers protection, configured from the settings keys of <see cref="ProtectionOptions"/>.</summary>
    public static IServiceCollection AddSharpbaseProtection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ProtectionOptions>().Configure<IConfiguration>(static (options, configuration) => configuration.Bind(options))
            .ValidateSettingsKeys()
            .ValidateOnStart();
        services.AddSingleton(static provider => ProtectionSettings.Compile(provider.GetRequiredService<IOptions<ProtectionOptions>>().Value));
        services.AddSingleton<LocalRateLimiter>();
        services.AddSingleton<RedisRateLimiter>();
        services.AddSingleton<ProtectionMetrics>();
        services.AddHostedService<ProtectionStartupService>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<ProtectionSettings>(static (cors, settings) =>
        {
            if (settings.Cors is { } policy)
            {
                cors.AddDefaultPolicy(policy);
            }
        });
        services.AddSingleton(static provider => new RequestDeadlines(provider.GetRequiredService<ProtectionSettings>().RequestTimeout, provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Adds protection around <paramref name="authentication"/>: security headers, the client
    /// address, CORS, per-IP limits and the request timeout before it; per-user and per-key limits
    /// after it (they need the caller).
    /// </summary>
    public static IApplicationBuilder UseSharpbaseProtection(this IApplicationBuilder app, Action<IApplicationBuilder> authentication)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(authentication);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<ClientAddressMiddleware>();
        // Only a request with an Origin is a CORS request. The CORS middleware resolves its policy
        // provider from the request's services (a scope per request) and writes to HttpContext.Items
        // before it looks at the header; a same-origin or server-to-server request needs neither.
        app.UseWhen(static context => context.Request.Headers.ContainsKey(HeaderNames.Origin), static cors => cors.UseCors());
        app.UseMiddleware<RateLimitMiddleware>(false);
        app.UseMiddleware<RequestDeadlineMiddleware>();
        authentication(app);
        app.UseMiddleware<RateLimitMiddleware>(true);
        return app;
    }
}
