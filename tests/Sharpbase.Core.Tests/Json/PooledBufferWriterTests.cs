using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using Sharpbase.Json;

namespace Sharpbase.Core.Tests.Json;

public sealed class PooledBufferWriterTests
{
    [Property(MaxTest = 200)]
    public void Write_AnyChunks_SameBytesAsWritten(byte[][] chunks, PositiveInt initial)
    {
        using var buffer = new PooledBufferWriter(initial.Get % 64 + 1);
        var expected = new List<byte>();
        foreach (var chunk in chunks.Where(c => c is not null))
        {
            var span = buffer.GetSpan(chunk.Length);
            Assert.True(span.Length >= Math.Max(chunk.Length, 1));
            chunk.CopyTo(span);
            buffer.Advance(chunk.Length);
            expected.AddRange(chunk);
        }

        Assert.Equal(expected.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.Equal(expected.ToArray(), buffer.WrittenMemory.ToArray());
    }

    [Fact]
    public void Utf8JsonWriter_PastTheInitialCapacity_WholeDocument()
    {
        using var buffer = new PooledBufferWriter(16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < 2000; i++)
            {
                writer.WriteStringValue($"item {i}");
            }
            writer.WriteEndArray();
        }

        var items = JsonDocument.Parse(buffer.WrittenMemory).RootElement;
        Assert.Equal(2000, items.GetArrayLength());
        Assert.Equal("item 1999", items[1999].GetString());
    }

    [Fact]
    public void Advance_PastTheFreeSpace_Refused()
    {
        using var buffer = new PooledBufferWriter(16);
        var free = buffer.GetSpan().Length;

        Assert.Throws<InvalidOperationException>(() => buffer.Advance(free + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
    }

    [Fact]
    public void Dispose_ThenUsed_Refused()
    {
        var buffer = new PooledBufferWriter();
        buffer.Dispose();
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.GetSpan());
        Assert.Throws<ObjectDisposedException>(() => buffer.WrittenMemory);
    }
}
