using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Sharpbase.Hosting;

namespace Sharpbase.Protection;

/// <summary>The protection settings, checked and compiled once; a mistake stops the start with its settings path.</summary>
internal sealed class ProtectionSettings
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] DefaultCorsHeaders = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"];
    private static readonly string[] DefaultCorsMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] ExposedHeaders = ["ETag", "Location", "Retry-After", "RateLimit", "RateLimit-Policy"];

    public required IReadOnlyList<RateLimitPolicy> Policies { get; init; }

    public required TrustedProxies Proxies { get; init; }

    public required CorsPolicy? Cors { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>When nothing is configured: a global per-IP limit and a strict one on sign-in and sign-up.</summary>
    public static IReadOnlyList<RateLimitPolicy> DefaultPolicies { get; } =
    [
        new("global", [Route("/*")], PartitionKind.Ip, 600, TimeSpan.FromMinutes(1), LimitAlgorithm.SlidingWindow),
        new("auth", [Route("POST /auth/*")], PartitionKind.Ip, 10, TimeSpan.FromMinutes(1), LimitAlgorithm.SlidingWindow),
    ];

    public static ProtectionSettings Compile(ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var timeout = DefaultRequestTimeout;
        if (options.RequestTimeout is { } text && !Durations.TryParse(text, out timeout))
        {
            throw Invalid("request_timeout", $"'{text}' is not a duration like 30s or 2m");
        }
        var policies = options.RateLimits.Count == 0 ? DefaultPolicies : options.RateLimits.Select(Policy).ToArray();
        if (policies.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw Invalid("rate_limits", $"the name '{duplicate.Key}' is used twice");
        }
        return new ProtectionSettings
        {
            Policies = policies,
            Proxies = CompileProxies(options),
            Cors = CompileCors(options.Cors),
            RequestTimeout = timeout,
        };
    }

    private static RateLimitPolicy Policy(RateLimitSettings settings, int index)
    {
        var path = $"rate_limits[{index}]";
        var name = settings.Name?.Trim();
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw Invalid(path + ".name", "a name of letters, digits, '_', '-' or '.' is required");
        }
        if (settings.Routes.Count == 0)
        {
            throw Invalid(path + ".routes", "at least one route like \"POST /api/posts\" is required");
        }
        var routes = new RoutePattern[settings.Routes.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            if (!RoutePattern.TryParse(settings.Routes[i], out routes[i]))
            {
                throw Invalid($"{path}.routes[{i}]", $"'{settings.Routes[i]}' is not a route like \"POST /auth/*\"");
            }
        }
        PartitionKind per = (settings.Per ?? "ip").Trim().ToLowerInvariant() switch
        {
            "ip" => PartitionKind.Ip,
            "user" => PartitionKind.User,
            "api_key" or "apikey" => PartitionKind.ApiKey,
            _ => throw Invalid(path + ".per", $"'{settings.Per}' is not one of ip, user, api_key"),
        };
        if (settings.Limit < 1)
        {
            throw Invalid(path + ".limit", "a limit of at least 1 is required");
        }
        if (!Durations.TryParse(settings.Window, out var window) || window < TimeSpan.FromSeconds(1))
        {
            throw Invalid(path + ".window", $"'{settings.Window}' is not a window like 30s or 1m (at least 1s)");
        }
        LimitAlgorithm algorithm = (settings.Algorithm ?? "sliding_window").Trim().ToLowerInvariant() switch
        {
            "sliding_window" or "slidingwindow" => LimitAlgorithm.SlidingWindow,
            "token_bucket" or "tokenbucket" => LimitAlgorithm.TokenBucket,
            _ => throw Invalid(path + ".algorithm", $"'{settings.Algorithm}' is not one of sliding_window, token_bucket"),
        };
        return new RateLimitPolicy(name, routes, per, settings.Limit, window, algorithm);
    }

    private static TrustedProxies CompileProxies(ProtectionOptions options)
    {
        var networks = new List<IPNetwork>();
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!TrustedProxies.TryParseNetwork(options.TrustedProxies[i], out var network))
            {
                throw Invalid($"trusted_proxies[{i}]", $"'{options.TrustedProxies[i]}' is not an address or CIDR range");
            }
            networks.Add(network);
        }
        var header = (options.ForwardedHeader ?? "x-forwarded-for").Trim().ToLowerInvariant();
        if (header is not ("x-forwarded-for" or "forwarded"))
        {
            throw Invalid("forwarded_header", $"'{options.ForwardedHeader}' is not one of x-forwarded-for, forwarded");
        }
        return new TrustedProxies(networks, header == "forwarded");
    }

    private static CorsPolicy? CompileCors(CorsSettings settings)
    {
        var origins = settings.Origins.Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0).ToList();
        if (origins.Count == 0)
        {
            return null;
        }
        var any = origins.Contains("*");
        if (any && settings.Credentials)
        {
            throw Invalid("cors", "origins '*' together with credentials: true would let every site act as the signed-in user; list the origins");
        }
        for (var i = 0; i < origins.Count; i++)
        {
            if (origins[i] != "*" && (!Uri.TryCreate(origins[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"))
            {
                throw Invalid($"cors.origins[{i}]", $"'{origins[i]}' is not an origin like https://app.example.com");
            }
        }
        var maxAge = TimeSpan.FromMinutes(10);
        if (settings.MaxAge is { } text && !Durations.TryParse(text, out maxAge))
        {
            throw Invalid("cors.max_age", $"'{text}' is not a duration like 10m");
        }
        var builder = new CorsPolicyBuilder()
            .WithHeaders(settings.Headers.Count > 0 ? [.. settings.Headers] : DefaultCorsHeaders)
            .WithMethods(settings.Methods.Count > 0 ? [.. settings.Methods.Select(m => m.Trim().ToUpperInvariant())] : DefaultCorsMethods)
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(maxAge);
        builder = any ? builder.AllowAnyOrigin() : builder.WithOrigins([.. origins]);
        builder = settings.Credentials ? builder.AllowCredentials() : builder.DisallowCredentials();
        return builder.Build();
    }

    private static RoutePattern Route(string text) => RoutePattern.TryParse(text, out var route) ? route : throw new InvalidOperationException(text);

    private static SharpbaseStartupException Invalid(string path, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"settings.{path}: {message}"));
}
