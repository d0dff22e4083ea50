using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sharpbase.Observability;

/// <summary>
/// The W3C trace id of a request, for its log line and its problem responses. With a tracer (an OTLP
/// exporter) it is the id of the request's span. Without one no span is made: ASP.NET Core would make
/// an activity per request, with a log scope, only to carry this id, and that took about 5% of the CPU
/// of GET by id on PostgreSQL. The id is then the caller's, from a valid <c>traceparent</c> header, or a
/// new random one, made once per request.
/// </summary>
internal static class RequestTrace
{
    public static string Id(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Activity.Current is { } activity)
        {
            return activity.TraceId.ToHexString();
        }
        if (context.Features.Get<TraceIdFeature>() is { } known)
        {
            return known.TraceId;
        }
        var traceParent = context.Request.Headers[HeaderNames.TraceParent];
        var id = traceParent.Count == 1 && ActivityContext.TryParse(traceParent[0], null, out var parent)
            ? parent.TraceId.ToHexString()
            : ActivityTraceId.CreateRandom().ToHexString();
        context.Features.Set(new TraceIdFeature(id));
        return id;
    }

    private sealed record TraceIdFeature(string TraceId);
}
