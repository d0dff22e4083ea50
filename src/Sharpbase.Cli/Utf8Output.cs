using System.Text;

namespace Sharpbase.Cli;

/// <summary>
/// A UTF-8 stream behind one buffer and one lock, as a <see cref="TextWriter"/> for text and with
/// <see cref="WriteLine(ReadOnlySpan{byte})"/> for lines that are UTF-8 already. The request log
/// writes its JSON as UTF-8; through a <see cref="StreamWriter"/> each line was decoded to UTF-16
/// and encoded back. Nothing reaches the stream before <see cref="Flush"/> or a full buffer; a line
/// is never split between two threads' writes. On a terminal (<c>flushEveryWrite</c>) each write
/// goes out at once.
/// </summary>
internal sealed class Utf8Output : TextWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly byte[] _newLine;
    private readonly Lock _lock = new();
    private readonly bool _flushEveryWrite;

    // Keeps the first half of a surrogate pair written by one Write(char) for the next.
    private readonly Encoder _encoder = Utf8.GetEncoder();
    private int _length;

    public Utf8Output(Stream stream, int bufferSize, bool flushEveryWrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _flushEveryWrite = flushEveryWrite;
        _buffer = new byte[bufferSize];
        _newLine = Utf8.GetBytes(CoreNewLine);
    }

    public override Encoding Encoding => Utf8;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            Append(buffer);
            Written();
        }
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            Append(buffer);
            Append(CoreNewLine);
            Written();
        }
    }

    /// <summary>Writes the chunks of a builder, none of another thread's between them.</summary>
    public override void Write(StringBuilder? value)
    {
        if (value is null)
        {
            return;
        }
        lock (_lock)
        {
            foreach (var chunk in value.GetChunks())
            {
                Append(chunk.Span);
            }
            Written();
        }
    }

    /// <summary>Writes <paramref name="utf8"/> (UTF-8 already) and a new line.</summary>
    public void WriteLine(ReadOnlySpan<byte> utf8)
    {
        lock (_lock)
        {
            Append(utf8);
            Append((ReadOnlySpan<byte>)_newLine);
            Written();
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            Drain();
            _stream.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            _stream.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        var completed = false;
        while (!completed)
        {
            if (_buffer.Length - _length < 4)
            {
                Drain();
            }
            _encoder.Convert(chars, _buffer.AsSpan(_length), flush: false, out var used, out var written, out completed);
            _length += written;
            chars = chars[used..];
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length)
        {
            Drain();
            if (bytes.Length > _buffer.Length)
            {
                _stream.Write(bytes);
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Written()
    {
        if (_flushEveryWrite)
        {
            Drain();
            _stream.Flush();
        }
    }

    private void Drain()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }
}
