using System.Collections;
using System.Globalization;
using System.Text.Json;
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

    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(Names.Method, method);
        writer.WriteString(Names.Route, route);
        writer.WriteString(Names.Collection, collection);
        writer.WriteNumber(Names.Status, status);
        writer.WriteNumber(Names.DurationMs, durationMs);
        writer.WriteString(Names.UserId, userId);
        writer.WriteString(Names.RequestId, requestId);
        writer.WriteString(Names.TraceId, traceId);
        var template = Template.For(writer.Options.Encoder);
        writer.WriteString(template.Name, template.Value);
    }

    // The message goes out in two segments, the first ending at its first '>' (the one of "->"): an encoder
    // escapes that character (the default one writes \u003E), and Utf8JsonWriter escapes a segment
    // character by character from its first escaped character to its end, which took about a sixth of
    // the instructions of the whole log line. Segments are escaped alike wherever they are split, so
    // the bytes are those of WriteString with the whole message.
    public void WriteMessage(Utf8JsonWriter writer, ref char[] buffer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // The length first: formatting may replace the buffer with a larger one.
        var length = IJsonLogState.FormatMessage(this, ref buffer);
        var message = buffer.AsSpan(0, length);
        var arrow = message.IndexOf('>');
        writer.WriteStringValueSegment(message[..(arrow + 1)], isFinalSegment: false);
        writer.WriteStringValueSegment(message[(arrow + 1)..], isFinalSegment: true);
    }

    public override string ToString()
    {
        var message = new char[256];
        var length = IJsonLogState.FormatMessage(this, ref message);
        return new string(message, 0, length);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    // "{OriginalFormat}" and the format, encoded once with the encoder of the writers that write them.
    private sealed record Template(System.Text.Encodings.Web.JavaScriptEncoder? Encoder, JsonEncodedText Name, JsonEncodedText Value)
    {
        private static Template? s_last;

        public static Template For(System.Text.Encodings.Web.JavaScriptEncoder? encoder)
        {
            var last = s_last;
            if (last is null || !ReferenceEquals(last.Encoder, encoder))
            {
                last = new Template(encoder, JsonEncodedText.Encode("{OriginalFormat}", encoder), JsonEncodedText.Encode(OriginalFormat, encoder));
                s_last = last;
            }
            return last;
        }
    }

    // The property names, encoded once. They are letters only, which no encoder escapes, so they are
    // the same bytes whatever encoder the writer has ("{OriginalFormat}" goes through the writer's).
    private static class Names
    {
        public static readonly JsonEncodedText Method = JsonEncodedText.Encode(nameof(Method));
        public static readonly JsonEncodedText Route = JsonEncodedText.Encode(nameof(Route));
        public static readonly JsonEncodedText Collection = JsonEncodedText.Encode(nameof(Collection));
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode(nameof(Status));
        public static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode(nameof(DurationMs));
        public static readonly JsonEncodedText UserId = JsonEncodedText.Encode(nameof(UserId));
        public static readonly JsonEncodedText RequestId = JsonEncodedText.Encode(nameof(RequestId));
        public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode(nameof(TraceId));
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{method} {route} {collection} -> {status} in {durationMs:0.0} ms (user {userId}, request {requestId}, trace {traceId})", out charsWritten);
}
