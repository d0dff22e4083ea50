using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Sharpbase.Auth;

namespace Sharpbase.Observability;

/// <summary>
/// One structured line per request — method, route template, collection, status, duration, user,
/// request id, trace id — the request-duration histogram and the count of active requests. Never
/// the query string or a header: they can carry filters with values, and credentials must never
/// reach a log.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger, SharpbaseMetrics metrics, TimeProvider time, Hosting.SharpbaseRuntime runtime,
    ListTraffic traffic)
{
    private readonly RequestLogQueue _lines = new(line => logger.Log(LogLevel.Information, RequestLogLine.EventId, line, null, RequestLogLine.Format));

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        metrics.RequestStarted();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.RequestEnded();
            var elapsed = time.GetElapsedTime(started);
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var collection = context.GetRouteValue("collection") as string;
            var status = context.Response.StatusCode;
            if (metrics.RequestDuration.Enabled)
            {
                metrics.RequestDuration.Record(elapsed.TotalSeconds, [
                    new("http.request.method", context.Request.Method),
                    new("http.route", route),
                    new("http.response.status_code", StatusTag(status)),
                    new("sharpbase.collection", collection is not null && route.Contains("{collection}", StringComparison.Ordinal) ? Known(collection) : null),
                ]);
            }
            if (status == StatusCodes.Status200OK && collection is not null && route == "/api/{collection}" && HttpMethods.IsGet(context.Request.Method)
                && context.Request.Query["count"] == "true" && context.Features.Get<CallerFeature>() is null && Known(collection) == collection)
            {
                traffic.AnonymousCount(collection);
            }
            if (status == StatusCodes.Status401Unauthorized && metrics.AuthFailures.Enabled)
            {
                metrics.AuthFailures.Add(1, new KeyValuePair<string, object?>("http.route", route));
            }
            if (logger.IsEnabled(LogLevel.Information))
            {
                var user = context.Features.Get<CallerFeature>()?.Caller.AuthId;
                var traceId = RequestTrace.Last(context);
                _lines.Add(new RequestLogLine(context.Request.Method, route, collection ?? "-", status, elapsed, user ?? "-", context.TraceIdentifier, traceId));
            }
        }
    }

    // Each status code boxed once: a tag value is an object, and a box per request was an allocation.
    private static readonly object[] StatusTags = [.. Enumerable.Range(0, 600).Select(static status => (object)status)];

    private static object StatusTag(int status) => (uint)status < (uint)StatusTags.Length ? StatusTags[status] : status;

    // Only names of real collections become tag values, so a client can't grow the metric's cardinality.
    private string Known(string collection) => runtime.IsReady && runtime.Engine.HasCollection(collection) ? collection : "(unknown)";
}
