namespace Sharpbase.Observability;

/// <summary>
/// A log state that writes its own fields into a <see cref="JsonLine"/>. A JSON console logger writes
/// such a line without the generic formatter, which boxes every value, formats the message through a
/// composite format and copies the line through UTF-16 strings twice. The message is the state's
/// <see cref="ISpanFormattable.TryFormat"/> (<see cref="FormatMessage"/>), the fields in the order of
/// its key-value pairs.
/// </summary>
internal interface IJsonLogState : IReadOnlyList<KeyValuePair<string, object?>>, ISpanFormattable
{
    /// <summary>Writes every key-value pair of the state as a property of the current JSON object.</summary>
    void WriteProperties(JsonLine line);

    /// <summary>Formats the message into <paramref name="buffer"/>, doubling it until it fits; returns its length.</summary>
    static int FormatMessage(ISpanFormattable state, ref char[] buffer)
    {
        int written;
        while (!state.TryFormat(buffer, out written, default, null))
        {
            buffer = new char[buffer.Length * 2];
        }
        return written;
    }
}
