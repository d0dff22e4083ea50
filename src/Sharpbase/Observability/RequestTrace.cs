using System.Buffers.Binary;
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
    public static string Id(HttpContext context) => Id(context, remember: true);

    /// <summary>
    /// The id for its last use, the request's log line, written after everything else: one made here is
    /// not kept for a later call (there is none), which saves a feature and its allocation per request.
    /// </summary>
    public static string Last(HttpContext context) => Id(context, remember: false);

    private static string Id(HttpContext context, bool remember)
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
            : NewId();
        if (remember)
        {
            context.Features.Set(new TraceIdFeature(id));
        }
        return id;
    }

    /// <summary>
    /// A random W3C trace id: 128 bits, not all zero, as 32 lowercase hex digits. Written here digit by
    /// digit: ActivityTraceId's hex conversion is vectorised with a shuffle the native build's baseline
    /// x64 target lacks, and ran in software (about 2,000 instructions, 1% of a GET by id).
    /// </summary>
    internal static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        var high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return Hex(high, high == 0 && low == 0 ? 1 : low);
    }

    /// <summary><paramref name="high"/> then <paramref name="low"/> as 32 lowercase hex digits.</summary>
    internal static string Hex(ulong high, ulong low) => string.Create(32, (high, low), static (chars, id) =>
    {
        const string Digits = "0123456789abcdef";
        for (var i = 15; i >= 0; i--)
        {
            chars[i] = Digits[(int)(id.high & 0xF)];
            chars[i + 16] = Digits[(int)(id.low & 0xF)];
            id.high >>= 4;
            id.low >>= 4;
        }
    });

    private sealed record TraceIdFeature(string TraceId);
}
