using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Cluster;

namespace Sharpbase.Observability;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (it can serve: database up, not stopping; Redis shown when configured).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the health routes.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.MapGroup("/health").WithTags("health");
        health.MapGet("/live", Live).WithName("live").WithSummary("The process is running");
        health.MapGet("/ready", ReadyAsync).WithName("ready").WithSummary("The server can serve requests");
        return endpoints;
    }

    private static IResult Live(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text("""{"status":"live"}""", "application/json");
    }

    private static async Task<IResult> ReadyAsync(HttpContext context, SharpbaseRuntime runtime, IHostApplicationLifetime lifetime)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "the server is shutting down") { RetryAfterSeconds = 1 };
        }
        if (!runtime.IsReady || !await runtime.PingAsync(context.RequestAborted))
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "the database is unavailable") { RetryAfterSeconds = 5 };
        }
        // Redis down is not unready: limits are counted per node and lists served uncached meanwhile, which readiness reports.
        return context.RequestServices.GetService<RedisConnection>()?.Status switch
        {
            RedisConnection.Degraded => Results.Text("""{"status":"ready","database":"ok","redis":"degraded"}""", "application/json"),
            RedisConnection.Ok => Results.Text("""{"status":"ready","database":"ok","redis":"ok"}""", "application/json"),
            _ => Results.Text("""{"status":"ready","database":"ok"}""", "application/json"),
        };
    }
}
