using OtpNet;
using Sharpbase.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

public sealed class TotpVerifierTests
{
    private readonly ManualTime _time = new();
    // Fixed secret and clock: the codes of neighbouring steps are known to differ, so no test can flake.
    private readonly string _secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private string CodeAt(TimeSpan offset) =>
        new Totp(Base32Encoding.ToBytes(_secret)).ComputeTotp((_time.GetUtcNow() + offset).UtcDateTime);

    private long StepNow => _time.GetUtcNow().ToUnixTimeSeconds() / 30;

    [Fact]
    public void NewSecret_Called_160BitBase32()
    {
        var secret = TotpVerifier.NewSecret();

        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length);
        Assert.NotEqual(secret, TotpVerifier.NewSecret());
    }

    [Fact]
    public void TryVerify_CurrentCode_AcceptedWithItsStep()
    {
        var verifier = new TotpVerifier(_time);

        Assert.True(verifier.TryVerify(_secret, CodeAt(TimeSpan.Zero), lastUsedStep: 0, out var step));
        Assert.Equal(StepNow, step);
    }

    [Fact]
    public void TryVerify_CodeOneStepOld_Accepted()
    {
        var verifier = new TotpVerifier(_time);

        Assert.True(verifier.TryVerify(_secret, CodeAt(TimeSpan.FromSeconds(-30)), 0, out var step));
        Assert.Equal(StepNow - 1, step);
    }

    [Fact]
    public void TryVerify_CodeTwoStepsOld_Refused()
    {
        var verifier = new TotpVerifier(_time);
        var stale = CodeAt(TimeSpan.FromSeconds(-60));
        Assert.DoesNotContain(stale, new[] { CodeAt(TimeSpan.FromSeconds(-30)), CodeAt(TimeSpan.Zero), CodeAt(TimeSpan.FromSeconds(30)) });

        Assert.False(verifier.TryVerify(_secret, stale, 0, out _));
    }

    [Fact]
    public void TryVerify_SameCodeTwice_ReplayRefused()
    {
        var verifier = new TotpVerifier(_time);
        var code = CodeAt(TimeSpan.Zero);
        Assert.True(verifier.TryVerify(_secret, code, 0, out var used));

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(verifier.TryVerify(_secret, code, used, out _));
    }

    [Fact]
    public void TryVerify_OlderStepAfterNewerUse_Refused()
    {
        var verifier = new TotpVerifier(_time);
        var previous = CodeAt(TimeSpan.FromSeconds(-30));

        Assert.False(verifier.TryVerify(_secret, previous, lastUsedStep: StepNow, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData(" 123456")]
    [InlineData("١٢٣٤٥٦")]
    public void TryVerify_NotSixAsciiDigits_Refused(string code)
    {
        Assert.False(new TotpVerifier(_time).TryVerify(_secret, code, 0, out _));
    }

    [Fact]
    public void TryVerify_InvalidSecret_RefusedNoThrow()
    {
        Assert.False(new TotpVerifier(_time).TryVerify("not base32 !!", "123456", 0, out _));
        Assert.False(new TotpVerifier(_time).TryVerify("", "123456", 0, out _));
    }

    [Fact]
    public void OtpAuthUri_SpecialCharacters_Escaped()
    {
        var uri = TotpVerifier.OtpAuthUri("JBSWY3DPEHPK3PXP", "My App", "ann+x@example.com");

        Assert.Equal(
            "otpauth://totp/My%20App:ann%2Bx%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20App&algorithm=SHA1&digits=6&period=30",
            uri);
        Assert.True(Uri.IsWellFormedUriString(uri, UriKind.Absolute));
    }

    [Fact]
    public void NewRecoveryCodes_Default_TenDistinctUnambiguousCodes()
    {
        var codes = TotpVerifier.NewRecoveryCodes();

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$", code));
    }

    [Fact]
    public void TryNormalizeRecoveryCode_AsTyped_CanonicalForm()
    {
        var code = TotpVerifier.NewRecoveryCodes(1)[0];

        Assert.True(TotpVerifier.TryNormalizeRecoveryCode(" " + code.ToUpperInvariant().Replace("-", " ") + " ", out var normalized));
        Assert.Equal(code, normalized);
        Assert.True(TotpVerifier.TryNormalizeRecoveryCode("OIL0-1111-2222", out var misread));
        Assert.Equal("0110-1111-2222", misread);
        Assert.False(TotpVerifier.TryNormalizeRecoveryCode("abcd-efgh-jkm", out _));
        Assert.False(TotpVerifier.TryNormalizeRecoveryCode("abcd-efgh-jkmnp", out _));
        Assert.False(TotpVerifier.TryNormalizeRecoveryCode("abcd-efgh-jkmu", out _));
    }
}
