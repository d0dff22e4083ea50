using System.Buffers;

namespace Sharpbase.Json;

/// <summary>
/// A growing byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: a response is written into
/// it without allocating (or copying through ever larger arrays, as an <see cref="ArrayBufferWriter{T}"/>
/// does), and the array goes back to the pool on <see cref="Dispose"/>. The written bytes must not
/// be used after that.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity = 4096) : IBufferWriter<byte>, IDisposable
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => Buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => Buffer.AsSpan(0, _written);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledBufferWriter));

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > Buffer.Length)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Makes room for at least sizeHint bytes (at least one) after the written ones; returns the array.
    private byte[] Reserve(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var buffer = Buffer;
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, checked(buffer.Length * 2)));
            buffer.AsSpan(0, _written).CopyTo(larger);
            _buffer = larger;
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
        return buffer;
    }
}
