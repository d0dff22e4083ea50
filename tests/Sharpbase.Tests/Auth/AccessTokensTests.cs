using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sharpbase.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

public sealed class AccessTokensTests : IDisposable
{
    private static readonly AccessTokenClaims Ann = new("user_ann", "sess_1", "user", 3);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sb-tokens-");
    private readonly ManualTime _time = new();
    private readonly JwtOptions _options = new();
    private readonly SigningKeys _keys;
    private readonly AccessTokens _tokens;

    public AccessTokensTests()
    {
        _keys = SigningKeys.LoadOrCreate(_folder.FullName, _options, _time);
        _tokens = new AccessTokens(_keys, _options, _time);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private Dictionary<string, object> Header(string alg = "ES256") =>
        new() { ["alg"] = alg, ["typ"] = "at+jwt", ["kid"] = _keys.SigningKey.KeyId };

    private Dictionary<string, object> Payload() => new()
    {
        ["iss"] = "sharpbase", ["aud"] = "sharpbase-api", ["sub"] = "user_ann", ["sid"] = "sess_1",
        ["iat"] = Now, ["nbf"] = Now, ["exp"] = Now + 900, ["sb_kind"] = "user", ["sb_tv"] = 3, ["jti"] = "j1",
    };

    private static string Encode(object part) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(part));

    private static string Forge(object header, object payload, Func<byte[], byte[]> sign)
    {
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>Signed with the real signing key: only what the test changed can make it fail.</summary>
    private string SignedByUs(object header, object payload) =>
        Forge(header, payload, data => ((ECDsaSecurityKey)_keys.SigningKey).ECDsa.SignData(data, HashAlgorithmName.SHA256));

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("HS256")]
    public async Task ValidateAsync_IssuedToken_SameClaims(string algorithm)
    {
        var options = new JwtOptions { Algorithm = algorithm };
        var tokens = new AccessTokens(SigningKeys.LoadOrCreate(Directory.CreateDirectory(Path.Combine(_folder.FullName, algorithm)).FullName, options, _time), options, _time);
        var superuser = new AccessTokenClaims("admin_1", "sess_9", "superuser", long.MaxValue);

        Assert.Equal(superuser, await tokens.ValidateAsync(tokens.Issue(superuser)));
    }

    [Fact]
    public void Issue_Claims_HeaderAndPayloadAsSpecified()
    {
        var token = new JsonWebToken(_tokens.Issue(Ann));

        Assert.Equal(("ES256", "at+jwt", _keys.SigningKey.KeyId), (token.Alg, token.Typ, token.Kid));
        Assert.Equal("sharpbase", token.Issuer);
        Assert.Equal(["sharpbase-api"], token.Audiences);
        Assert.Equal("user_ann", token.Subject);
        Assert.Equal("sess_1", token.GetPayloadValue<string>("sid"));
        Assert.Equal("user", token.GetPayloadValue<string>("sb_kind"));
        Assert.Equal(3, token.GetPayloadValue<long>("sb_tv"));
        Assert.Equal(Now, token.GetPayloadValue<long>("iat"));
        Assert.Equal(Now, token.GetPayloadValue<long>("nbf"));
        Assert.Equal(Now + 900, token.GetPayloadValue<long>("exp"));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token.Id);
        Assert.NotEqual(token.Id, new JsonWebToken(_tokens.Issue(Ann)).Id);
    }

    [Fact]
    public async Task ValidateAsync_ForgedWithAllFieldsRight_Valid()
    {
        // The forging helper itself makes valid tokens, so each rejection below is due to its one change.
        Assert.Equal(Ann, await _tokens.ValidateAsync(SignedByUs(Header(), Payload())));
    }

    [Fact]
    public async Task ValidateAsync_AlgNone_Rejected()
    {
        var header = Header("none");

        Assert.Null(await _tokens.ValidateAsync(Forge(header, Payload(), _ => [])));
        header.Remove("kid");
        Assert.Null(await _tokens.ValidateAsync(Forge(header, Payload(), _ => [])));
    }

    [Fact]
    public async Task ValidateAsync_Hs256WithPublicKeyAsSecret_Rejected()
    {
        var ec = ((ECDsaSecurityKey)_keys.SigningKey).ECDsa;
        var point = ec.ExportParameters(false).Q;
        byte[][] secrets =
        [
            Encoding.UTF8.GetBytes(_keys.JwksJson()),
            [.. point.X!, .. point.Y!],
            [0x04, .. point.X!, .. point.Y!],
            ec.ExportSubjectPublicKeyInfo(),
            Encoding.UTF8.GetBytes(ec.ExportSubjectPublicKeyInfoPem()),
        ];

        foreach (var secret in secrets)
        {
            Assert.Null(await _tokens.ValidateAsync(Forge(Header("HS256"), Payload(), data => HMACSHA256.HashData(secret, data))));
        }
    }

    [Fact]
    public async Task ValidateAsync_UnknownOrMissingKid_Rejected()
    {
        var wrong = Header();
        wrong["kid"] = "AAAAAAAAAAA";
        var missing = Header();
        missing.Remove("kid");

        Assert.Null(await _tokens.ValidateAsync(SignedByUs(wrong, Payload())));
        Assert.Null(await _tokens.ValidateAsync(SignedByUs(missing, Payload())));
    }

    [Fact]
    public async Task ValidateAsync_PayloadTampered_Rejected()
    {
        var parts = _tokens.Issue(Ann).Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(parts[1]))!;
        payload["sub"] = JsonSerializer.SerializeToElement("user_bob");

        Assert.Null(await _tokens.ValidateAsync($"{parts[0]}.{Encode(payload)}.{parts[2]}"));
    }

    [Fact]
    public async Task ValidateAsync_Expired_RejectedAfterSkew()
    {
        var token = _tokens.Issue(Ann);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(59));
        Assert.NotNull(await _tokens.ValidateAsync(token));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await _tokens.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_LargeConfiguredSkew_CappedAt60Seconds()
    {
        var options = new JwtOptions { ClockSkew = TimeSpan.FromHours(1) };
        var tokens = new AccessTokens(_keys, options, _time);
        var token = tokens.Issue(Ann);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(61));

        Assert.Null(await tokens.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_NotYetValidBeyondSkew_Rejected()
    {
        var soon = Payload();
        soon["nbf"] = Now + 30;
        var later = Payload();
        later["nbf"] = Now + 120;

        Assert.NotNull(await _tokens.ValidateAsync(SignedByUs(Header(), soon)));
        Assert.Null(await _tokens.ValidateAsync(SignedByUs(Header(), later)));
    }

    [Theory]
    [InlineData("iss", "evil")]
    [InlineData("aud", "other-api")]
    [InlineData("exp", null)]
    [InlineData("sub", null)]
    [InlineData("sid", null)]
    [InlineData("sb_kind", "admin")]
    [InlineData("sb_tv", null)]
    public async Task ValidateAsync_WrongOrMissingClaim_Rejected(string claim, string? value)
    {
        var payload = Payload();
        if (value is null)
        {
            payload.Remove(claim);
        }
        else
        {
            payload[claim] = value;
        }

        Assert.Null(await _tokens.ValidateAsync(SignedByUs(Header(), payload)));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("application/at+jwt+x")]
    [InlineData(null)]
    public async Task ValidateAsync_WrongType_Rejected(string? type)
    {
        var header = Header();
        if (type is null)
        {
            header.Remove("typ");
        }
        else
        {
            header["typ"] = type;
        }

        Assert.Null(await _tokens.ValidateAsync(SignedByUs(header, Payload())));
    }

    [Theory]
    [InlineData("jku", "https://evil.example/jwks.json")]
    [InlineData("x5u", "https://evil.example/cert.pem")]
    [InlineData("jwk", "{}")]
    [InlineData("x5c", "MIIB")]
    [InlineData("crit", "exp")]
    public async Task ValidateAsync_KeyReferenceHeader_Rejected(string name, string value)
    {
        var header = Header();
        header[name] = name == "jwk" ? JsonDocument.Parse(_keys.JwksJson()).RootElement.GetProperty("keys")[0] : value;

        Assert.Null(await _tokens.ValidateAsync(SignedByUs(header, Payload())));
    }

    [Fact]
    public async Task ValidateAsync_SignedByAnotherKeySet_Rejected()
    {
        var elsewhere = Directory.CreateTempSubdirectory("sb-tokens-");
        try
        {
            var other = new AccessTokens(SigningKeys.LoadOrCreate(elsewhere.FullName, _options, _time), _options, _time);
            Assert.Null(await _tokens.ValidateAsync(other.Issue(Ann)));

            // Same kid, other key material: the signature decides.
            using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Assert.Null(await _tokens.ValidateAsync(Forge(Header(), Payload(), data => impostor.SignData(data, HashAlgorithmName.SHA256))));
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("a.b.c")]
    [InlineData("a.b.c.d.e")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9..")]
    public async Task ValidateAsync_Garbage_NullNoThrow(string token)
    {
        Assert.Null(await _tokens.ValidateAsync(token));
        Assert.Null(await _tokens.ValidateAsync(new string('a', 100_000)));
    }

    [Fact]
    public async Task ValidateAsync_AfterRotation_OldTokenStillValidNewTokenNewKid()
    {
        var old = _tokens.Issue(Ann);

        var rotated = SigningKeys.Rotate(_folder.FullName, _options, _time);
        var tokens = new AccessTokens(rotated, _options, _time);
        var fresh = tokens.Issue(Ann);

        Assert.Equal(Ann, await tokens.ValidateAsync(old));
        Assert.Equal(Ann, await tokens.ValidateAsync(fresh));
        Assert.NotEqual(new JsonWebToken(old).Kid, new JsonWebToken(fresh).Kid);
        Assert.Null(await _tokens.ValidateAsync(fresh)); // the old set does not know the new key
    }

    [Fact]
    public async Task Issue_CheckedByIndependentVerifierFromJwks_Valid()
    {
        var now = new ManualTime(DateTimeOffset.UtcNow); // the library's own validation reads the system clock
        var tokens = new AccessTokens(_keys, _options, now);
        var token = tokens.Issue(Ann);
        var jwks = new JsonWebKeySet(_keys.JwksJson());

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = "sharpbase",
            ValidAudience = "sharpbase-api",
            ValidAlgorithms = ["ES256"],
            ValidTypes = ["at+jwt"],
        });

        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("user_ann", ((JsonWebToken)result.SecurityToken).Subject);
        Assert.DoesNotContain(jwks.Keys, key => key.HasPrivateKey);
    }
}
