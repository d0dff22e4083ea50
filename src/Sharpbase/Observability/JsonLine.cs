using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sharpbase.Observability;

/// <summary>
/// One JSON log line, written as UTF-8 into a buffer that is reused for the next line: the same bytes
/// as <see cref="Utf8JsonWriter"/> with the same options writes (not indented), for what a log line
/// holds — objects, property names, strings and numbers. In ASCII text, runs of characters written as
/// they are are found with one vectorised search and narrowed in one copy, and each character the
/// encoder escapes is written in the form <see cref="Utf8JsonWriter"/> gives it (looked up in a table
/// made once); text written on every line is escaped once (<see cref="Constant"/>). The writer's
/// per-value checks, transcoding and searches cost more than that for the short values of a log
/// line. Text outside ASCII goes through a <see cref="Utf8JsonWriter"/>.
/// </summary>
internal sealed class JsonLine
{
    private const int MaxConstants = 8;

    private readonly JsonWriterOptions _options;
    private readonly ArrayBufferWriter<byte> _slowBytes = new(256);

    // The escape of each ASCII character the encoder escapes; null for one written as it is.
    private readonly byte[]?[] _asciiEscapes = new byte[128][];

    // The ASCII characters written as they are.
    private readonly SearchValues<char> _plain;
    private readonly List<(string Text, byte[] Bytes)> _constants = new(MaxConstants);
    private byte[] _buffer = new byte[1024];
    private int _length;
    private bool _comma;

    public JsonLine(JsonWriterOptions options)
    {
        _options = options with { Indented = false };
        // Utf8JsonWriter decides what to escape with JavaScriptEncoder.Default when the options name no encoder.
        var encoder = options.Encoder ?? JavaScriptEncoder.Default;
        Span<byte> one = stackalloc byte[1];
        for (var c = 0; c < _asciiEscapes.Length; c++)
        {
            one[0] = (byte)c;
            if (encoder.FindFirstCharacterToEncodeUtf8(one) == 0)
            {
                _asciiEscapes[c] = Escaped([(char)c])[1..^1].ToArray();
            }
        }
        _plain = SearchValues.Create([.. Enumerable.Range(0, _asciiEscapes.Length).Where(c => _asciiEscapes[c] is null).Select(c => (char)c)]);
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

    /// <summary>
    /// A property name already in JSON, with its quotes and colon (<c>"\"Name\":"u8</c>): a name of
    /// letters and digits, which no encoder escapes.
    /// </summary>
    public void Name(ReadOnlySpan<byte> token)
    {
        if (_comma)
        {
            Byte((byte)',');
        }
        Raw(token);
        _comma = false;
    }

    /// <summary>A property: its name as <see cref="Name(ReadOnlySpan{byte})"/> takes it, and a string.</summary>
    public void String(ReadOnlySpan<byte> name, ReadOnlySpan<char> value)
    {
        Name(name);
        String(value);
    }

    /// <summary>A property: its name as <see cref="Name(ReadOnlySpan{byte})"/> takes it, and a whole number.</summary>
    public void Number(ReadOnlySpan<byte> name, long value)
    {
        Name(name);
        Number(value);
    }

    /// <summary>A property: its name as <see cref="Name(ReadOnlySpan{byte})"/> takes it, and a finite number.</summary>
    public void Number(ReadOnlySpan<byte> name, double value)
    {
        Name(name);
        Number(value);
    }

    /// <summary>Any property name, escaped as a string is; a name is a constant (<see cref="Constant"/>).</summary>
    public void Name(string name)
    {
        if (_comma)
        {
            Byte((byte)',');
        }
        Constant(name);
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

    /// <summary>
    /// A property: its name as <see cref="Name(ReadOnlySpan{byte})"/> takes it, and <paramref name="value"/>
    /// / 10^<paramref name="scale"/>, as <see cref="Number(double)"/> writes the double nearest to it. From
    /// 0.0001 up and for a value below 10^15 that is the decimal itself without trailing zeros (<c>1.87</c>,
    /// <c>12</c>, <c>0.0001</c>): it has at most 15 significant digits, so it is the double's shortest form
    /// that reads back, and it is written without formatting a double. Anything else is written from the double.
    /// </summary>
    public void FixedPoint(ReadOnlySpan<byte> name, long value, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 18);
        var divisor = 1L;
        for (var i = 0; i < scale; i++)
        {
            divisor *= 10;
        }
        // Below 0.0001 the shortest form is in scientific notation (1E-05), and from 10^15 on too.
        if (value >= 1_000_000_000_000_000 || (value != 0 && scale > 4 && value < divisor / 10_000))
        {
            Number(name, value / (double)divisor);
            return;
        }
        Name(name);
        // 15 digits, the point, and up to 18 more.
        Reserve(34);
        var fraction = value % divisor;
        (value / divisor).TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        if (fraction != 0)
        {
            var digits = scale;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            _buffer[_length] = (byte)'.';
            for (var i = digits; i > 0; i--)
            {
                _buffer[_length + i] = (byte)('0' + (int)(fraction % 10));
                fraction /= 10;
            }
            _length += digits + 1;
        }
        _comma = true;
    }

    /// <summary>A string value, escaped as <see cref="Utf8JsonWriter"/> escapes it with the same encoder.</summary>
    public void String(ReadOnlySpan<char> value)
    {
        // One byte per character while the text is ASCII, the quotes besides; an escape makes room for itself.
        Reserve(value.Length + 2);
        var start = _length;
        var buffer = _buffer;
        var at = start;
        buffer[at++] = (byte)'"';
        var rest = value;
        while (true)
        {
            // Runs of characters written as they are: found and narrowed by vectorised searches and copies.
            var special = rest.IndexOfAnyExcept(_plain);
            Ascii.FromUtf16(special < 0 ? rest : rest[..special], buffer.AsSpan(at), out var copied);
            at += copied;
            if (special < 0)
            {
                break;
            }
            var c = rest[special];
            if (c >= 0x80)
            {
                _length = start;
                Slow(value);
                return;
            }
            // Escaping is character by character, so the character's escape alone is its escape in any string.
            var escape = _asciiEscapes[c]!;
            rest = rest[(special + 1)..];
            if (buffer.Length - at < escape.Length + rest.Length + 1)
            {
                _length = at;
                Reserve(escape.Length + rest.Length + 1);
                buffer = _buffer;
            }
            escape.CopyTo(buffer.AsSpan(at));
            at += escape.Length;
        }
        buffer[at++] = (byte)'"';
        _length = at;
        _comma = true;
    }

    /// <summary>
    /// A string that is written on many lines, the same instance each time (a template, a category):
    /// escaped once, then copied.
    /// </summary>
    public void Constant(string value)
    {
        foreach (var (text, bytes) in _constants)
        {
            if (ReferenceEquals(text, value))
            {
                Raw(bytes);
                return;
            }
        }
        var start = _length;
        String(value);
        if (_constants.Count < MaxConstants)
        {
            _constants.Add((value, _buffer[start.._length]));
        }
    }

    // Text outside ASCII, escaped or not by the encoder, and invalid UTF-16: as Utf8JsonWriter writes it.
    private void Slow(ReadOnlySpan<char> value) => Raw(Escaped(value));

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        _comma = true;
    }

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
