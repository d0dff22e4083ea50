using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sharpbase.Observability;

/// <summary>
/// One request's log line: its fields (the state's key-value pairs, as a source-generated log
/// message would have them, <c>{OriginalFormat}</c> last) and its message, which it formats itself
/// (<see cref="IJsonLogState"/>).
/// </summary>
internal sealed class RequestLogLine(string method, string route, string collection, int status, double durationMs, string userId, string requestId, string traceId)
    : IJsonLogState
{
    public const string OriginalFormat = "{Method} {Route} {Collection} -> {Status} in {DurationMs:0.0} ms (user {UserId}, request {RequestId}, trace {TraceId})";

    public static readonly EventId EventId = new(100, "Completed");

    /// <summary>The message of a line, for <see cref="ILogger.Log{TState}"/>.</summary>
    public static readonly Func<RequestLogLine, Exception?, string> Format = (line, _) => line.ToString();

    public string Method => method;

    public string Route => route;

    public string Collection => collection;

    public int Status => status;

    public double DurationMs => durationMs;

    public string UserId => userId;

    public string RequestId => requestId;

    public string TraceId => traceId;

    public int Count => 9;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(nameof(Method), method),
        1 => new(nameof(Route), route),
        2 => new(nameof(Collection), collection),
        3 => new(nameof(Status), status),
        4 => new(nameof(DurationMs), durationMs),
        5 => new(nameof(UserId), userId),
        6 => new(nameof(RequestId), requestId),
        7 => new(nameof(TraceId), traceId),
        8 => new("{OriginalFormat}", OriginalFormat),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void WriteProperties(JsonLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.String("\"Method\":"u8, method);
        line.String("\"Route\":"u8, route);
        line.String("\"Collection\":"u8, collection);
        line.Number("\"Status\":"u8, status);
        line.Number("\"DurationMs\":"u8, durationMs);
        line.String("\"UserId\":"u8, userId);
        line.String("\"RequestId\":"u8, requestId);
        line.String("\"TraceId\":"u8, traceId);
        line.Name("{OriginalFormat}");
        line.Constant(OriginalFormat);
    }

    public override string ToString()
    {
        var message = new char[256];
        var length = IJsonLogState.FormatMessage(this, ref message);
        return new string(message, 0, length);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{method} {route} {collection} -> {status} in {durationMs:0.0} ms (user {userId}, request {requestId}, trace {traceId})", out charsWritten);
}
