using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sharpbase.Auth;
using Sharpbase.Errors;
using Sharpbase.Observability;
using Sharpbase.Protection;

namespace Sharpbase.Cli;

/// <summary>
/// The host's exporters: Prometheus at <c>/metrics</c> (open to loopback callers; elsewhere only with
/// <c>SHARPBASE__METRICS__TOKEN</c> as a bearer token), and OTLP for traces and metrics when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. A request that a proxy forwarded is not a loopback
/// caller, even when the proxy runs on the same machine: its client address (through the trusted
/// proxies) must be loopback, and it must carry no forwarding header.
/// </summary>
internal static class Telemetry
{
    /// <summary>
    /// The meters exported: Sharpbase's, the runtime's, and ASP.NET Core's connections (<c>kestrel.*</c>)
    /// and handled exceptions. Not the memory pool's, which records on every buffer Kestrel rents and
    /// returns (several per request): with it, a GET by id on PostgreSQL cost about 14 µs more CPU, a
    /// sixth of the request. Not routing's match counter either: the request metrics carry the route.
    /// Not hosting's request instruments, which Sharpbase's own repeat and which record on every
    /// request (the active count twice): <c>sharpbase.http.request.duration</c> has their route, method
    /// and status and the collection, and <c>sharpbase.http.active_requests</c> is read when scraped.
    /// Without them a GET by id on PostgreSQL used about 4 µs less CPU (of 80, native, in alternating rounds).
    /// </summary>
    private static readonly string[] Meters =
        [SharpbaseTelemetry.Name, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];

    /// <summary>
    /// The runtime's, Kestrel's and the exception meter's instruments have a handful of tag sets
    /// (a GC generation, a protocol, an exception type), so each keeps room for this many instead of
    /// the SDK's 2,000. The SDK allocates a stream's room up front: at 2,000 it is a 144 KB array per
    /// stream on the large-object heap, about 5 MB for these streams, which the server kept for
    /// nothing. Sharpbase's own (by route, status, collection) keep 2,000.
    /// </summary>
    private const int SmallStreamLimit = 100;

    // What proxies add (nginx, Caddy, Traefik, HAProxy, Envoy, CDNs): any of them means the caller is elsewhere.
    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "Via"];

    public static void Add(WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        // The SDK reads OTEL_* settings (endpoint, protocol, headers, service name, batch delays) from
        // configuration, whose sources serve replaces with its own; give them back, and only them.
        builder.Configuration.AddInMemoryCollection(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Key is string key && key.StartsWith("OTEL_", StringComparison.Ordinal))
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string)));
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddPrometheusExporter()
                    .AddView(instrument => instrument.Meter.Name == SharpbaseTelemetry.Name ? null : new MetricStreamConfiguration { CardinalityLimit = SmallStreamLimit });
                if (otlp)
                {
                    AddOtlp(metrics);
                }
            });
        // Spans are made only for an exporter: a tracer provider listening without one would have
        // every request and statement build a span nobody reads.
        if (otlp)
        {
            telemetry.WithTracing(AddOtlp);
        }
    }

    // The OTLP exporter's assembly is loaded only when one is configured: these are never inlined
    // into the code every start runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOtlp(MeterProviderBuilder metrics) => metrics.AddOtlpExporter();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOtlp(TracerProviderBuilder tracing) =>
        tracing.AddSource(SharpbaseTelemetry.Name).AddAspNetCoreInstrumentation().AddOtlpExporter();

    public static void Map(WebApplication app)
    {
        var token = app.Configuration["metrics:token"];
        app.MapPrometheusScrapingEndpoint("/metrics").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (IsLocal(http) || HasToken(http, token))
            {
                return await next(context);
            }
            return new Problem(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "metrics are served to loopback callers, or with the configured metrics token");
        }).WithMetadata(OwnCredentialsMetadata.Instance);
    }

    private static bool IsLocal(HttpContext context) =>
        ClientAddress.Of(context) is { } client && IPAddress.IsLoopback(client) && !ForwardingHeaders.Any(context.Request.Headers.ContainsKey);

    private static bool HasToken(HttpContext context, string? token)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(token) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
