using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Sharpbase.Observability;

/// <summary>
/// One JSON log line, written as UTF-8 into a buffer that is reused for the next line: the same bytes
/// as <see cref="Utf8JsonWriter"/> with the same options writes (not indented), for what a log line
/// holds — objects, property names, strings and numbers. A string is transcoded in one pass and
/// checked with the encoder in another; a character the encoder escapes is written in the escaped
/// form <see cref="Utf8JsonWriter"/> gives it, so a line costs a fraction of the writer's
/// per-value bookkeeping (the request log line took 10,500 instructions through it). Text the fast
/// path does not handle (an escaped character outside ASCII, invalid UTF-16) goes through a
/// <see cref="Utf8JsonWriter"/>.
/// </summary>
internal sealed class JsonLine
{
    private readonly JavaScriptEncoder _encoder;
    private readonly JsonWriterOptions _options;
    private readonly ArrayBufferWriter<byte> _slowBytes = new(256);
    private readonly byte[]?[] _asciiEscapes = new byte[128][];
    private byte[] _buffer = new byte[1024];
    private int _length;
    private bool _comma;

    public JsonLine(JsonWriterOptions options)
    {
        // Utf8JsonWriter decides what to escape with JavaScriptEncoder.Default when the options name no encoder.
        _encoder = options.Encoder ?? JavaScriptEncoder.Default;
        _options = options with { Indented = false };
    }

    /// <summary>The line so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>The size of the buffer, which grows with the longest line written.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Starts a new line.</summary>
    public void Clear()
    {
        _length = 0;
        _comma = false;
    }

    public void StartObject()
    {
        Byte((byte)'{');
        _comma = false;
    }

    public void EndObject()
    {
        Byte((byte)'}');
        _comma = true;
    }

    /// <summary>A property name that no encoder escapes (letters and digits), encoded once by the caller.</summary>
    public void Name(JsonEncodedText name)
    {
        var bytes = name.EncodedUtf8Bytes;
        Reserve(bytes.Length + 4);
        if (_comma)
        {
            _buffer[_length++] = (byte)',';
        }
        _buffer[_length++] = (byte)'"';
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        _buffer[_length++] = (byte)'"';
        _buffer[_length++] = (byte)':';
        _comma = false;
    }

    /// <summary>Any property name, escaped as a string is.</summary>
    public void Name(ReadOnlySpan<char> name)
    {
        if (_comma)
        {
            Byte((byte)',');
        }
        String(name);
        Byte((byte)':');
        _comma = false;
    }

    public void Number(long value)
    {
        Reserve(21);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        _comma = true;
    }

    /// <summary>A finite number, in the shortest form that reads back the same (as <see cref="Utf8JsonWriter.WriteNumberValue(double)"/>).</summary>
    public void Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("JSON has no number for NaN or an infinity.", nameof(value));
        }
        Reserve(32);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        _comma = true;
    }

    public void String(ReadOnlySpan<char> value)
    {
        // Three bytes per UTF-16 unit is the most UTF-8 takes; the quotes besides.
        Reserve(value.Length * 3 + 2);
        var start = _length;
        _buffer[start] = (byte)'"';
        if (Utf8.FromUtf16(value, _buffer.AsSpan(start + 1), out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            Slow(value);
            return;
        }
        var end = start + 1 + written;
        var from = start + 1;
        while (from < end)
        {
            var found = _encoder.FindFirstCharacterToEncodeUtf8(_buffer.AsSpan(from, end - from));
            if (found < 0)
            {
                break;
            }
            var at = from + found;
            if (_buffer[at] >= 0x80)
            {
                Slow(value);
                return;
            }
            // Escaping is character by character, so the character's escape alone is its escape in any string.
            var escape = _asciiEscapes[_buffer[at]] ??= AsciiEscape((char)_buffer[at]);
            Reserve(end - _length + escape.Length + 1);
            _buffer.AsSpan(at + 1, end - at - 1).CopyTo(_buffer.AsSpan(at + escape.Length));
            escape.CopyTo(_buffer.AsSpan(at));
            end += escape.Length - 1;
            from = at + escape.Length;
        }
        _buffer[end] = (byte)'"';
        _length = end + 1;
        _comma = true;
    }

    private void Slow(ReadOnlySpan<char> value)
    {
        var bytes = Escaped(value);
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        _comma = true;
    }

    private byte[] AsciiEscape(char character) => Escaped([character])[1..^1].ToArray();

    // The string as Utf8JsonWriter writes it, quotes included.
    private ReadOnlySpan<byte> Escaped(ReadOnlySpan<char> value)
    {
        _slowBytes.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_slowBytes, _options))
        {
            writer.WriteStringValue(value);
        }
        return _slowBytes.WrittenSpan;
    }

    private void Byte(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    // Room for count more bytes after the line so far.
    private void Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
