using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;

namespace Sharpbase.OpenApi;

/// <summary>
/// The interactive reference at <c>/docs</c> (Scalar). Its script is embedded in the Scalar package and
/// served from <c>/docs/</c>; fonts, telemetry and the AI features that would call out are off, so the
/// page works with no outside network, and its CSP allows nothing but this server.
/// </summary>
internal static class DocsPage
{
    public const string Path = "/docs";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapScalarApiReference(Path, static options => options
                .WithTitle("Sharpbase API")
                .WithOpenApiRoutePattern("/openapi.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp())
            .AddEndpointFilter(static async (context, next) =>
            {
                context.HttpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return await next(context);
            })
            .WithTags("docs");
}
