using Sharpbase.Records;

namespace Sharpbase.Core.Tests.Records;

public sealed class ValidIdTests
{
    private const string Alphabet = "0123456789abcdefABCDEFgz-{}() \u00e9\u0660";

    [Theory]
    [InlineData("0192f0d2-7b1a-7c3e-9f00-0123456789ab", true)]
    [InlineData("00000000-0000-0000-0000-000000000000", true)]
    [InlineData("0192F0D2-7B1A-7C3E-9F00-0123456789AB", false)]
    [InlineData("{0192f0d2-7b1a-7c3e-9f00-0123456789ab}", false)]
    [InlineData("0192f0d27b1a7c3e9f000123456789ab", false)]
    [InlineData("0192f0d2-7b1a-7c3e-9f00-0123456789a", false)]
    [InlineData("0192f0d2-7b1a-7c3e-9f00-0123456789abc", false)]
    [InlineData("0192f0d2+7b1a-7c3e-9f00-0123456789ab", false)]
    [InlineData(" 192f0d2-7b1a-7c3e-9f00-0123456789ab", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ValidId_IsTheLowercaseDashedFormOnly(string? id, bool valid) => Assert.Equal(valid, RecordsEngine.ValidId(id));

    [Fact]
    public void ValidId_AgreesWithParsingAndFormattingBack()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = Guid.NewGuid().ToString("D").ToCharArray();
            // Zero to three characters replaced: most inputs stay close to a valid id.
            for (var n = random.Next(4); n > 0; n--)
            {
                chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }
            var id = random.Next(20) == 0 ? new string(chars)[..random.Next(chars.Length)] : new string(chars);
            var expected = Guid.TryParseExact(id, "D", out var guid) && guid.ToString("D") == id;

            Assert.True(expected == RecordsEngine.ValidId(id), id);
        }
    }
}
