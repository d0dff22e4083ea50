using FsCheck.Xunit;
using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Schema;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0s", 0)]
    public void TryParse_ValidDuration_ReturnsTimeSpan(string text, long expectedMilliseconds)
    {
        // Arrange, Act
        var ok = DurationParser.TryParse(text, out var duration);

        // Assert
        Assert.True(ok);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("30 s")]
    [InlineData("30S")]
    [InlineData("1w")]
    [InlineData("999999999999999999d")]
    public void TryParse_InvalidDuration_ReturnsFalse(string text)
    {
        // Arrange, Act
        var ok = DurationParser.TryParse(text, out _);

        // Assert
        Assert.False(ok);
    }

    [Property]
    public void TryParse_AnySeconds_RoundTrips(ushort seconds)
    {
        // Arrange
        var text = $"{seconds}s";

        // Act
        var ok = DurationParser.TryParse(text, out var duration);

        // Assert
        Assert.True(ok);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }
}
