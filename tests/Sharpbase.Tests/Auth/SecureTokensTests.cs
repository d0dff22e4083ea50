using Sharpbase.Auth;

namespace Sharpbase.Tests.Auth;

public sealed class SecureTokensTests
{
    [Fact]
    public void NewOpaqueToken_Called_43Base64UrlCharactersEachTimeDifferent()
    {
        var first = SecureTokens.NewOpaqueToken();
        var second = SecureTokens.NewOpaqueToken();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void NewApiKey_Called_PrefixedAndRecognised()
    {
        var key = SecureTokens.NewApiKey();

        Assert.Matches("^sb_[A-Za-z0-9_-]{43}$", key);
        Assert.True(SecureTokens.LooksLikeApiKey(key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sb_")]
    [InlineData("sb_short")]
    [InlineData("xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("sb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")]
    public void LooksLikeApiKey_OtherShapes_False(string? value)
    {
        Assert.False(SecureTokens.LooksLikeApiKey(value));
    }

    [Fact]
    public void Hash_KnownInput_LowercaseHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecureTokens.Hash("abc"));
    }
}
