using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Rest;

namespace Sharpbase.OpenApi;

/// <summary>
/// The live API description: <c>/openapi.json</c> and <c>/openapi.yaml</c> (OpenAPI 3.1, generated from
/// the schema being served) and the interactive reference at <c>/docs</c>; all three answer 404 when
/// <see cref="DocsOptions.Enabled"/> is false.
/// </summary>
public static class OpenApiEndpoints
{
    /// <summary>Registers the document cache and the <c>docs</c> settings.</summary>
    public static IServiceCollection AddOpenApiDocs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DocsOptions>().BindConfiguration("docs").ValidateSettingsKeys().ValidateOnStart();
        services.TryAddSingleton<OpenApiDocumentCache>();
        return services;
    }

    /// <summary>Maps <c>/openapi.json</c>, <c>/openapi.yaml</c> and <c>/docs</c>.</summary>
    public static IEndpointRouteBuilder MapOpenApiDocs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/openapi.json", (HttpContext context, SharpbaseRuntime runtime, OpenApiDocumentCache cache) =>
            Serve(context, cache.Get(runtime.Engine.Schema, runtime.Engine.Options), json: true)).WithName("openapi-json").WithTags("docs").WithSummary("The OpenAPI 3.1 document (JSON)")
            .AddEndpointFilter(OnlyWhenPublished);
        endpoints.MapGet("/openapi.yaml", (HttpContext context, SharpbaseRuntime runtime, OpenApiDocumentCache cache) =>
            Serve(context, cache.Get(runtime.Engine.Schema, runtime.Engine.Options), json: false)).WithName("openapi-yaml").WithTags("docs").WithSummary("The OpenAPI 3.1 document (YAML)")
            .AddEndpointFilter(OnlyWhenPublished);
        DocsPage.Map(endpoints).AddEndpointFilter(OnlyWhenPublished);
        return endpoints;
    }

    private static async ValueTask<object?> OnlyWhenPublished(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.RequestServices.GetRequiredService<IOptions<DocsOptions>>().Value.Enabled
            ? await next(context)
            : Problem.NotFound("the API docs are not published: settings.docs.enabled is false");

    private static IResult Serve(HttpContext context, ServedDocument document, bool json)
    {
        // JSON and YAML are two representations, so they have two validators.
        var etag = json ? document.ETag : document.ETag[..^1] + "-yaml\"";
        context.Response.Headers.ETag = etag;
        // Revalidated on every use: the document changes as soon as the schema does.
        context.Response.Headers.CacheControl = "no-cache";
        if (HttpPreconditions.MatchesWeak(context.Request.Headers.IfNoneMatch, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(json ? document.Json : document.Yaml, json ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8");
    }
}
