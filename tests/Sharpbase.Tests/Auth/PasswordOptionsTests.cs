using Sharpbase.Auth;

namespace Sharpbase.Tests.Auth;

public sealed class PasswordOptionsTests
{
    private static readonly PasswordOptions Options = new();

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(128)]
    public void Check_LengthWithinLimits_Accepted(int length)
    {
        Assert.Null(Options.Check(new string('a', length)));
    }

    [Theory]
    [InlineData(0, "at least 8")]
    [InlineData(7, "at least 8")]
    [InlineData(129, "at most 128")]
    [InlineData(10_000, "at most 128")]
    public void Check_LengthOutsideLimits_Refused(int length, string message)
    {
        Assert.Contains(message, Options.Check(new string('a', length)));
    }

    [Fact]
    public void Check_Emoji_CountAsOneCharacterEach()
    {
        Assert.Contains("at least 8", Options.Check(string.Concat(Enumerable.Repeat("😀", 7)))); // 14 UTF-16 units
        Assert.Null(Options.Check(string.Concat(Enumerable.Repeat("😀", 8))));
        Assert.Null(Options.Check(string.Concat(Enumerable.Repeat("😀", 128)))); // 256 UTF-16 units
        Assert.Contains("at most 128", Options.Check(string.Concat(Enumerable.Repeat("😀", 129))));
    }

    [Fact]
    public void Check_NulCharacter_Refused()
    {
        Assert.Contains("NUL", Options.Check("password\0suffix"));
    }

    [Fact]
    public void Check_LoneSurrogate_Refused()
    {
        Assert.Contains("Unicode", Options.Check("password\uD83Dxyz"));
    }

    [Fact]
    public void Check_ConfiguredMinimum_Applied()
    {
        var options = new PasswordOptions { MinLength = 12 };

        Assert.Contains("at least 12", options.Check("elevenchars"));
        Assert.Null(options.Check("twelve chars"));
    }
}
