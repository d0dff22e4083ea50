using Sharpbase.Observability;

namespace Sharpbase.Tests.Observability;

public sealed class RequestTraceTests
{
    [Fact]
    public void Hex_IsTheBigEndianLowercaseHexOfBothHalves()
    {
        var random = new Random(20261129);
        Span<byte> bytes = stackalloc byte[16];
        foreach (var (high, low) in new[] { (0UL, 1UL), (ulong.MaxValue, ulong.MaxValue), (0x0123456789abcdefUL, 0xfedcba9876543210UL) })
        {
            Assert.Equal(high.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + low.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), RequestTrace.Hex(high, low));
        }
        for (var i = 0; i < 1000; i++)
        {
            random.NextBytes(bytes);
            var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
            var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);

            Assert.Equal(Convert.ToHexStringLower(bytes), RequestTrace.Hex(high, low));
        }
    }

    [Fact]
    public void NewId_IsAValidW3cTraceId_AndNeverRepeats()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestTrace.NewId()).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.All(ids, id => Assert.True(System.Diagnostics.ActivityTraceId.CreateFromString(id).ToHexString() == id && id != new string('0', 32)));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
