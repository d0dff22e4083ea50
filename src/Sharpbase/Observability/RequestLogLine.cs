using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sharpbase.Observability;

/// <summary>
/// One request's log line: its fields (the state's key-value pairs, as a source-generated log
/// message would have them, <c>{OriginalFormat}</c> last) and its message, which it formats itself
/// (<see cref="IJsonLogState"/>). Its duration is <see cref="DurationMs"/>, the milliseconds of a
/// <see cref="TimeSpan"/>: below 10^15 ticks (about three years) they have at most 15 significant
/// digits, so both forms the line writes them in come from the whole ticks without formatting a
/// double — the shortest form that reads back (the decimal itself) and <c>0.0</c> (the formatter
/// rounds the double's 15 significant digits half up, which are the decimal's).
/// </summary>
internal sealed class RequestLogLine(string method, string route, string collection, int status, TimeSpan duration, string userId, string requestId, string traceId)
    : IJsonLogState
{
    private const long ExactTicks = 1_000_000_000_000_000;

    // Below 10^15 ticks (about 3 years) the whole ticks give the double's digits exactly; a negative or
    // clamped duration is written from the double, as the formatter would.
    private static bool Exact(TimeSpan duration) => duration.Ticks is >= 0 and < ExactTicks;

    public const string OriginalFormat = "{Method} {Route} {Collection} -> {Status} in {DurationMs:0.0} ms (user {UserId}, request {RequestId}, trace {TraceId})";

    public static readonly EventId EventId = new(100, "Completed");

    /// <summary>The message of a line, for <see cref="ILogger.Log{TState}"/>.</summary>
    public static readonly Func<RequestLogLine, Exception?, string> Format = (line, _) => line.ToString();

    public string Method => method;

    public string Route => route;

    public string Collection => collection;

    public int Status => status;

    public double DurationMs => duration.TotalMilliseconds;

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
        4 => new(nameof(DurationMs), DurationMs),
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
        if (Exact(duration))
        {
            line.FixedPoint("\"DurationMs\":"u8, duration.Ticks, 4);
        }
        else
        {
            line.Number("\"DurationMs\":"u8, DurationMs);
        }
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
        destination.TryWrite(CultureInfo.InvariantCulture, $"{method} {route} {collection} -> {status} in {new Tenths(duration)} ms (user {userId}, request {requestId}, trace {traceId})", out charsWritten);

    /// <summary>Milliseconds as <c>0.0</c> formats them: from the ticks (rounded half up) when they are exact, else from the double.</summary>
    private readonly struct Tenths(TimeSpan duration) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            if (!Exact(duration))
            {
                return duration.TotalMilliseconds.TryFormat(destination, out charsWritten, "0.0", CultureInfo.InvariantCulture);
            }
            var tenths = (duration.Ticks + 500) / 1000;
            charsWritten = 0;
            if (!(tenths / 10).TryFormat(destination, out var whole, default, CultureInfo.InvariantCulture) || destination.Length < whole + 2)
            {
                return false;
            }
            destination[whole] = '.';
            destination[whole + 1] = (char)('0' + (int)(tenths % 10));
            charsWritten = whole + 2;
            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
