using System.Text.Json;
using Microsoft.Extensions.Logging.Console;
using Sharpbase.Observability;

namespace Sharpbase.Cli;

/// <summary>
/// Writes a log line whose state writes its own JSON (<see cref="IJsonLogState"/>, the request log)
/// in the layout of the JSON console formatter: <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>,
/// <c>Message</c> and the <c>State</c> object, in UTF-8 (the output adds the new line). The formatter boxes each field,
/// formats the message through a composite format and copies the line through two strings; here the
/// line is written straight into one thread's buffer (<see cref="JsonLine"/>), reused for every line. It is used only with the options whose output it
/// matches byte for byte (no timestamp, no scopes, not indented); <see cref="For"/> returns null
/// for any other.
/// </summary>
internal sealed class JsonLogLineWriter
{
    [ThreadStatic]
    private static LineBuffers? t_buffers;

    private readonly JsonWriterOptions _options;

    private JsonLogLineWriter(JsonWriterOptions options) => _options = options;

    public static JsonLogLineWriter? For(ConsoleFormatter formatter, JsonConsoleFormatterOptions options) =>
        formatter.Name == ConsoleFormatterNames.Json && options.TimestampFormat is null && !options.IncludeScopes && !options.JsonWriterOptions.Indented
            ? new JsonLogLineWriter(options.JsonWriterOptions)
            : null;

    /// <summary>
    /// The line in UTF-8, without its new line. The bytes are this thread's buffer: use them before
    /// the thread formats its next line.
    /// </summary>
    public ReadOnlySpan<byte> Format(LogLevel level, string category, EventId eventId, IJsonLogState state)
    {
        var buffers = t_buffers;
        if (buffers is null || !ReferenceEquals(buffers.Owner, this))
        {
            // A thread's buffers belong to one writer: its line has that writer's options.
            buffers = t_buffers = new LineBuffers(this, _options);
        }
        var line = buffers.Line;
        line.Clear();
        line.StartObject();
        line.Number("\"EventId\":"u8, eventId.Id);
        line.Name("\"LogLevel\":"u8);
        line.Constant(LevelName(level));
        line.Name("\"Category\":"u8);
        line.Constant(category);
        // The length first: formatting may replace the buffer with a larger one.
        var length = IJsonLogState.FormatMessage(state, ref buffers.MessageBuffer);
        line.String("\"Message\":"u8, buffers.MessageBuffer.AsSpan(0, length));
        line.Name("\"State\":"u8);
        line.StartObject();
        state.WriteProperties(line);
        line.EndObject();
        line.EndObject();
        if (line.Capacity > LineBuffers.KeptCapacity)
        {
            // The span returned keeps the large buffer alive only as long as the caller holds it.
            t_buffers = null;
        }
        return line.Written;
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => nameof(LogLevel.Trace),
        LogLevel.Debug => nameof(LogLevel.Debug),
        LogLevel.Information => nameof(LogLevel.Information),
        LogLevel.Warning => nameof(LogLevel.Warning),
        LogLevel.Error => nameof(LogLevel.Error),
        LogLevel.Critical => nameof(LogLevel.Critical),
        _ => level.ToString(),
    };

    /// <summary>One thread's buffers: the UTF-8 line and the message's characters.</summary>
    private sealed class LineBuffers(JsonLogLineWriter owner, JsonWriterOptions options)
    {
        public JsonLogLineWriter Owner { get; } = owner;

        /// <summary>A thread that wrote a longer line drops its buffers rather than keep them.</summary>
        public const int KeptCapacity = 16 * 1024;

        /// <summary>The message's characters; a longer message replaces it with a larger array.</summary>
        public char[] MessageBuffer = new char[256];

        public JsonLine Line { get; } = new(options);
    }
}
