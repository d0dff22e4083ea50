using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Sharpbase.Auth;
using Sharpbase.Hosting;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

public sealed class SigningKeysTests : IDisposable
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sb-keys-");
    private readonly ManualTime _time = new();

    public void Dispose() => _folder.Delete(recursive: true);

    private string KeyFile => Path.Combine(_folder.FullName, SigningKeys.FileName);

    [Fact]
    public void LoadOrCreate_EmptyFolder_CreatesOwnerOnlyFileWithOneEs256Key()
    {
        var keys = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time);

        Assert.Equal("ES256", keys.Algorithm);
        Assert.Single(keys.ValidationKeys);
        Assert.Matches("^[A-Za-z0-9_-]{11}$", keys.SigningKey.KeyId);
        Assert.True(File.Exists(KeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }
        Assert.Empty(Directory.GetFiles(_folder.FullName, "*.tmp"));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("HS256")]
    public void LoadOrCreate_ExistingFile_SameKeysAgain(string algorithm)
    {
        var options = new JwtOptions { Algorithm = algorithm };
        var created = SigningKeys.LoadOrCreate(_folder.FullName, options, _time);

        var reloaded = SigningKeys.LoadOrCreate(_folder.FullName, options, _time);

        Assert.Equal(algorithm, reloaded.Algorithm);
        Assert.Equal(created.SigningKey.KeyId, reloaded.SigningKey.KeyId);
        Assert.Equal(created.JwksJson(), reloaded.JwksJson());
    }

    [Theory]
    [InlineData("ES256", "EC", 1)]
    [InlineData("RS256", "RSA", 1)]
    [InlineData("HS256", null, 0)]
    public void JwksJson_AnyAlgorithm_PublicMembersOnly(string algorithm, string? kty, int count)
    {
        var keys = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions { Algorithm = algorithm }, _time);

        using var jwks = JsonDocument.Parse(keys.JwksJson());

        var published = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(count, published.Count);
        foreach (var key in published)
        {
            Assert.Equal(kty, key.GetProperty("kty").GetString());
            Assert.Equal(algorithm, key.GetProperty("alg").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.Equal(keys.SigningKey.KeyId, key.GetProperty("kid").GetString());
            Assert.All(PrivateMembers, member => Assert.False(key.TryGetProperty(member, out _), member));
        }
    }

    [Fact]
    public void Rotate_ExistingKey_NewKeyFirstOldKeptInJwks()
    {
        var first = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time);

        var rotated = SigningKeys.Rotate(_folder.FullName, new JwtOptions(), _time);
        var reloaded = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time);

        Assert.NotEqual(first.SigningKey.KeyId, rotated.SigningKey.KeyId);
        Assert.Equal([rotated.SigningKey.KeyId, first.SigningKey.KeyId], reloaded.ValidationKeys.Select(k => k.KeyId));
        Assert.Equal(2, JsonDocument.Parse(reloaded.JwksJson()).RootElement.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public void Rotate_KeyRetiredLongerThanTokenLifetime_Dropped()
    {
        var oldest = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time);
        var middle = SigningKeys.Rotate(_folder.FullName, new JwtOptions(), _time);
        _time.Advance(TimeSpan.FromHours(1));

        var newest = SigningKeys.Rotate(_folder.FullName, new JwtOptions(), _time);

        Assert.Equal([newest.SigningKey.KeyId, middle.SigningKey.KeyId], newest.ValidationKeys.Select(k => k.KeyId));
        Assert.DoesNotContain(oldest.SigningKey.KeyId, newest.JwksJson());
    }

    [Fact]
    public void LoadOrCreate_AlgorithmChanged_NewKeyInFrontOldKept()
    {
        var es = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time);

        var rs = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions { Algorithm = "RS256" }, _time);

        Assert.Equal("RS256", rs.Algorithm);
        Assert.Equal(es.SigningKey.KeyId, rs.ValidationKeys[1].KeyId);
        Assert.Equal(["RS256", "ES256"], rs.Algorithms);
    }

    [Fact]
    public void LoadOrCreate_FileReadableByOthers_Refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var e = Assert.Throws<SharpbaseStartupException>(() => SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions(), _time));

        Assert.Contains("chmod 600", e.Message);
    }

    [Fact]
    public void LoadOrCreate_ConfiguredKeys_UsedAndNoFileWritten()
    {
        var other = Directory.CreateTempSubdirectory("sb-keys-");
        try
        {
            var source = SigningKeys.LoadOrCreate(other.FullName, new JwtOptions(), _time);
            var jwk = JsonDocument.Parse(File.ReadAllText(Path.Combine(other.FullName, SigningKeys.FileName)))
                .RootElement.GetProperty("keys")[0].GetRawText();

            var keys = SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions { Keys = [jwk] }, _time);

            Assert.Equal(source.SigningKey.KeyId, keys.SigningKey.KeyId);
            Assert.Equal(source.JwksJson(), keys.JwksJson());
            Assert.False(File.Exists(KeyFile));
            Assert.Throws<SharpbaseStartupException>(() => SigningKeys.Rotate(_folder.FullName, new JwtOptions { Keys = [jwk] }, _time));
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    public static TheoryData<string, string, string> WeakOrBrokenKeys()
    {
        using var rsa1024 = RSA.Create(1024);
        var p = rsa1024.ExportParameters(true);
        var weakRsa = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = "weak", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!), ["d"] = B64(p.D!),
            ["p"] = B64(p.P!), ["q"] = B64(p.Q!), ["dp"] = B64(p.DP!), ["dq"] = B64(p.DQ!), ["qi"] = B64(p.InverseQ!),
        });
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = ec.ExportParameters(false).Q;
        return new()
        {
            { "RS256", weakRsa, "1024-bit" },
            { "HS256", """{"kty":"oct","kid":"short","k":"c2hvcnQtc2VjcmV0LTMxLWJ5dGVzLWxvbmctLS0tLQ"}""", "at least 256 bits" },
            { "ES256", $$"""{"kty":"EC","crv":"P-256","kid":"pub","x":"{{B64(q.X!)}}","y":"{{B64(q.Y!)}}"}""", "no 'd'" },
            { "ES256", $$"""{"kty":"EC","crv":"P-384","kid":"p384","x":"{{B64(q.X!)}}","y":"{{B64(q.Y!)}}"}""", "P-256" },
            { "ES256", """{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}""", "no 'kid'" },
            { "ES256", """{"kty":"RSA","alg":"ES256","kid":"mixed"}""", "does not go with" },
            { "ES256", """{"kty":"OKP","kid":"ed"}""", "supported are" },
            { "ES256", """not json""", "not valid JSON" },
            { "PS512", """{}""", "not supported" },
        };
    }

    [Theory]
    [MemberData(nameof(WeakOrBrokenKeys))]
    public void LoadOrCreate_WeakOrBrokenConfiguredKey_RefusedWithClearMessage(string algorithm, string jwk, string message)
    {
        var e = Assert.Throws<SharpbaseStartupException>(
            () => SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions { Algorithm = algorithm, Keys = [jwk] }, _time));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void LoadOrCreate_ConfiguredKeyBrokenInsideAValue_SaysWhereWithoutQuotingIt()
    {
        var e = Assert.Throws<SharpbaseStartupException>(
            () => SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions { Keys = ["""{"kty":"EC","kid":"k","d":nPRIVATEKEYBYTES}"""] }, _time));

        Assert.Equal("JWT key #1 in configuration is not valid JSON (line 1, byte 28)", e.Message);
    }

    [Fact]
    public void LoadOrCreate_ConfiguredKeyOfOtherAlgorithm_Refused()
    {
        var hs = """{"kty":"oct","kid":"hs","k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}""";

        var e = Assert.Throws<SharpbaseStartupException>(() => SigningKeys.LoadOrCreate(_folder.FullName, new JwtOptions { Keys = [hs] }, _time));

        Assert.Contains("set the algorithm", e.Message);
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
