using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sharpbase.Auth;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Json;

namespace Sharpbase.GraphQL;

/// <summary>GraphQL over HTTP at <c>/graphql</c>, the SDL at <c>/graphql/schema.graphql</c>, and the explorer page.</summary>
public static class GraphQLEndpoints
{
    private const string ResponseMediaType = "application/graphql-response+json";

    /// <summary>Registers the GraphQL services and settings (configuration section <c>graphql</c>).</summary>
    public static IServiceCollection AddSharpbaseGraphQL(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GraphQLOptions>().BindConfiguration("graphql")
            .Validate(static o => o.MaxDocumentBytes >= 1 && o.MaxDepth >= 1 && o.MaxAliases >= 0 && o.MaxFields >= 1 && o.MaxBatch >= 1,
                "graphql: max_document_bytes, max_depth, max_fields and max_batch must be at least 1, and max_aliases at least 0")
            .ValidateSettingsKeys()
            .ValidateOnStart();
        services.TryAddSingleton<GraphQLSchemaCache>();
        services.TryAddSingleton<GraphQLService>();
        return services;
    }

    /// <summary>Maps the GraphQL routes.</summary>
    public static IEndpointRouteBuilder MapGraphQL(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/graphql", PostAsync).WithTags("graphql").WithName("graphql").WithSummary("Run a GraphQL query or mutation (or a batch of them)");
        endpoints.MapGet("/graphql", GetAsync).WithTags("graphql").WithName("graphql-get").WithSummary("Run a GraphQL query; browsers get the explorer page");
        endpoints.MapMethods("/graphql", [HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], MethodNotAllowed).ExcludeFromDescription();
        endpoints.MapGet(GraphQLExplorer.AssetsPrefix.Replace(GraphQLExplorer.Version, "{version}", StringComparison.Ordinal) + "/{file}", GraphQLExplorer.Asset).ExcludeFromDescription();
        endpoints.MapGet("/graphql/schema.graphql", Sdl).WithTags("graphql").WithName("graphql-sdl").WithSummary("The GraphQL schema in SDL");
        return endpoints;
    }

    private static async Task PostAsync(HttpContext context, SharpbaseRuntime runtime, GraphQLService graphql, Microsoft.Extensions.Options.IOptions<SharpbaseOptions> options, TimeProvider time)
    {
        var mediaType = ResponseType(context.Request);
        if (mediaType is null)
        {
            await WriteAsync(context, graphql, NotAcceptable(), ResponseMediaType);
            return;
        }
        var (document, _, problem) = await JsonBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, options.Value.MaxJsonDepth, context.RequestAborted);
        if (problem is not null)
        {
            await WriteAsync(context, graphql, GraphQLService.Refused(problem.Status, problem.Code, problem.Detail), mediaType);
            return;
        }
        using var body = document!;
        var caller = AuthenticationMiddleware.Caller(context, time);
        if (body.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            var request = GraphQLRequest.FromJson(body.RootElement, out var error);
            await WriteAsync(context, graphql, request is null
                ? GraphQLService.Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, error!)
                : await graphql.RunAsync(request, false, runtime, caller, context), mediaType);
            return;
        }
        var count = body.RootElement.GetArrayLength();
        if (count == 0 || count > graphql.Options.MaxBatch)
        {
            await WriteAsync(context, graphql, GraphQLService.Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest,
                $"a batch holds 1 to {graphql.Options.MaxBatch} requests"), mediaType);
            return;
        }
        var results = new List<ExecutionResult>(count);
        foreach (var item in body.RootElement.EnumerateArray())
        {
            var request = GraphQLRequest.FromJson(item, out var error);
            results.Add((request is null ? GraphQLService.Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, error!) : await graphql.RunAsync(request, false, runtime, caller, context)).Result);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await graphql.Serializer.WriteAsync(context.Response.Body, results, context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, SharpbaseRuntime runtime, GraphQLService graphql, TimeProvider time)
    {
        if (graphql.Options.Explorer && WantsHtml(context.Request))
        {
            await GraphQLExplorer.WriteAsync(context);
            return;
        }
        var mediaType = ResponseType(context.Request);
        if (mediaType is null)
        {
            await WriteAsync(context, graphql, NotAcceptable(), ResponseMediaType);
            return;
        }
        var request = GraphQLRequest.FromQueryString(context.Request.Query, out var error);
        var outcome = request is null
            ? GraphQLService.Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, error!)
            : await graphql.RunAsync(request, true, runtime, AuthenticationMiddleware.Caller(context, time), context);
        if (outcome.Status == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "POST";
        }
        await WriteAsync(context, graphql, outcome, mediaType);
    }

    private static IResult Sdl(SharpbaseRuntime runtime, GraphQLService graphql) =>
        graphql.Introspection
            ? Results.Text(graphql.Api(runtime).Sdl, "text/plain; charset=utf-8")
            : Problem.NotFound("the GraphQL schema is not published: introspection is off");

    private static async Task MethodNotAllowed(HttpContext context, GraphQLService graphql)
    {
        context.Response.Headers.Allow = "GET, POST";
        await WriteAsync(context, graphql, GraphQLService.Refused(StatusCodes.Status405MethodNotAllowed, ProblemCodes.MethodNotAllowed, "GraphQL takes GET and POST"), ResponseMediaType);
    }

    private static (int, ExecutionResult) NotAcceptable() => GraphQLService.Refused(StatusCodes.Status406NotAcceptable, ProblemCodes.BadRequest,
        $"GraphQL answers {ResponseMediaType} or application/json");

    private static async Task WriteAsync(HttpContext context, GraphQLService graphql, (int Status, ExecutionResult Result) outcome, string mediaType)
    {
        context.Response.StatusCode = outcome.Status;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await graphql.Serializer.WriteAsync(context.Response.Body, outcome.Result, context.RequestAborted);
    }

    // application/graphql-response+json unless the client asks only for application/json; null when it accepts neither.
    private static string? ResponseType(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return ResponseMediaType;
        }
        foreach (var type in accept.Where(a => a.Quality is null or > 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (type.MediaType.Equals(ResponseMediaType, StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("*/*", StringComparison.Ordinal)
                || type.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return ResponseMediaType;
            }
            if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return "application/json";
            }
        }
        return null;
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Query.Count == 0 && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
