using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Auth;

/// <summary>
/// Access tokens checked by a verifier that shares no code with the server (the JWK set over HTTP and
/// Microsoft.IdentityModel), and forged or misused tokens refused over HTTP.
/// </summary>
public abstract class TokenSecurityTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;
    private Session _ann = null!;
    private Session _bob = null!;
    private string _annEmail = null!;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(BlogWith(CheapHashing));
        _annEmail = NewEmail("ann");
        await _server.RegisterAsync(_annEmail);
        _ann = await _server.LoginAsync(_annEmail);
        _bob = await _server.RegisterAndLoginAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AccessToken_IndependentVerifierWithJwks_Valid()
    {
        using var jwksResponse = await _server.GetAsync("/.well-known/jwks.json");
        var jwks = new JsonWebKeySet(await jwksResponse.Content.ReadAsStringAsync());
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = "sharpbase",
            ValidAudience = "sharpbase-api",
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
        };

        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(_ann.AccessToken, parameters);

        Assert.True(result.IsValid, result.Exception?.ToString());
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(_ann.UserId, token.Subject);
        Assert.False(string.IsNullOrEmpty(token.GetPayloadValue<string>("sid")));
        Assert.Equal(900, token.GetPayloadValue<long>("exp") - token.GetPayloadValue<long>("iat"));
        Assert.Contains(jwks.Keys, k => k.Kid == token.Kid);
        Assert.Equal("application/json", jwksResponse.Content.Headers.ContentType?.MediaType);
        Assert.All(jwks.Keys, k => Assert.Null(k.D));
    }

    [Fact]
    public async Task ForgedToken_SignedWithServerKeyUnchanged_Accepted()
    {
        // The control for the tests below: the forging itself is sound, so only what they change is refused.
        var token = Resign(_ann.AccessToken, (_, _) => { });

        await _server.AssertMeIsAsync(token, _ann.UserId);
    }

    public static TheoryData<string> Forgeries() =>
    [
        "expired", "not yet valid", "no exp", "wrong iss", "wrong aud", "typ JWT", "no typ", "wrong kid", "no kid",
        "jku header", "jwk header", "x5u header", "older token version", "kind superuser",
    ];

    // Whoever holds the signing key can mint any subject or session, so a changed sub or sid is
    // tested without the key (Me_PayloadTamperedSignatureKept_401); these changes fail even with it.
    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Me_TokenSignedWithServerKeyButChanged_401(string change)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Resign(_ann.AccessToken, (header, payload) =>
        {
            switch (change)
            {
                case "expired": payload["iat"] = now - 1200; payload["nbf"] = now - 1200; payload["exp"] = now - 120; break;
                case "not yet valid": payload["nbf"] = now + 300; payload["exp"] = now + 1200; break;
                case "no exp": payload.Remove("exp"); break;
                case "wrong iss": payload["iss"] = "someone-else"; break;
                case "wrong aud": payload["aud"] = "another-api"; break;
                case "typ JWT": header["typ"] = "JWT"; break;
                case "no typ": header.Remove("typ"); break;
                case "wrong kid": header["kid"] = "not-a-key-of-ours"; break;
                case "no kid": header.Remove("kid"); break;
                case "jku header": header["jku"] = "https://attacker.example/jwks.json"; break;
                case "jwk header": header["jwk"] = JsonNode.Parse(PublicJwk()); break;
                case "x5u header": header["x5u"] = "https://attacker.example/cert.pem"; break;
                case "older token version": payload["sb_tv"] = payload["sb_tv"]!.GetValue<long>() - 1; break;
                case "kind superuser": payload["sb_kind"] = "superuser"; break;
                default: throw new ArgumentOutOfRangeException(nameof(change));
            }
        });

        using var response = await _server.MeAsync(token);

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task Me_PayloadTamperedSignatureKept_401()
    {
        var parts = _ann.AccessToken.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sub"] = _bob.UserId;
        var tampered = parts[0] + "." + Encode(payload) + "." + parts[2];

        using var response = await _server.MeAsync(tampered);

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task Me_AlgNone_401()
    {
        var parts = _ann.AccessToken.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        header["alg"] = "none";

        foreach (var token in new[] { Encode(header) + "." + parts[1] + ".", Encode(header) + "." + parts[1] + "." + parts[2] })
        {
            using var response = await _server.MeAsync(token);
            await response.AssertUnauthorizedAsync();
        }
    }

    [Fact]
    public async Task Me_Hs256SignedWithPublicKeyMaterial_401()
    {
        using var jwksResponse = await _server.GetAsync("/.well-known/jwks.json");
        var jwksText = await jwksResponse.Content.ReadAsStringAsync();
        var jwk = JsonNode.Parse(PublicJwk())!.AsObject();
        using var ec = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk["x"]!.GetValue<string>()), Y = Base64Url.DecodeFromChars(jwk["y"]!.GetValue<string>()) },
        });
        byte[][] secrets =
        [
            Encoding.UTF8.GetBytes(jwksText),
            Encoding.UTF8.GetBytes(PublicJwk()),
            ec.ExportSubjectPublicKeyInfo(),
            Encoding.UTF8.GetBytes(ec.ExportSubjectPublicKeyInfoPem()),
            [0x04, .. Base64Url.DecodeFromChars(jwk["x"]!.GetValue<string>()), .. Base64Url.DecodeFromChars(jwk["y"]!.GetValue<string>())],
        ];

        foreach (var secret in secrets)
        {
            var token = Resign(_ann.AccessToken, (header, _) => header["alg"] = "HS256", data => HMACSHA256.HashData(secret, data));
            using var response = await _server.MeAsync(token);
            await response.AssertUnauthorizedAsync();
        }
    }

    [Fact]
    public async Task Me_RefreshTokenAsBearer_401()
    {
        using var response = await _server.MeAsync(_ann.RefreshToken);

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task Me_ResetTokenAsBearer_401()
    {
        using (var forgot = await _server.PostAsync("/auth/password/forgot", ToJson(new { email = _annEmail })))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }
        var (_, token) = LinkOf(await _server.WaitForMailAsync(_annEmail, "Reset"));

        using var response = await _server.MeAsync(token);

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task Me_VerificationTokenAsBearer_401()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        var (_, token) = LinkOf(await _server.WaitForMailAsync(email, "Confirm"));

        using var response = await _server.MeAsync(token);

        await response.AssertUnauthorizedAsync();
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9..")]
    [InlineData("sb_notarealkey")]
    public async Task Me_GarbageBearer_401(string token)
    {
        using var response = await _server.MeAsync(token);

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task Me_BasicScheme_401()
    {
        using var response = await _server.GetAsync("/auth/me",
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_annEmail + ":" + Password))));

        await response.AssertUnauthorizedAsync("invalid_request");
    }

    [Fact]
    public async Task Me_AccessTokenWithBasicScheme_401()
    {
        using var response = await _server.GetAsync("/auth/me", r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", _ann.AccessToken));

        await response.AssertUnauthorizedAsync("invalid_request");
    }

    /// <summary>The server's signing key, read from the data folder as an operator could.</summary>
    private JsonObject PrivateJwk()
    {
        var keys = JsonNode.Parse(File.ReadAllText(Path.Combine(_server.DataDirectory, "jwt-keys.json")))!["keys"]!.AsArray();
        var key = keys[0]!.AsObject();
        Assert.Equal("EC", key["kty"]!.GetValue<string>());
        return key;
    }

    private string PublicJwk()
    {
        var key = PrivateJwk();
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = key["x"]!.GetValue<string>(), ["y"] = key["y"]!.GetValue<string>(), ["kid"] = key["kid"]!.GetValue<string>() }
            .ToJsonString();
    }

    private byte[] SignWithServerKey(byte[] data)
    {
        var key = PrivateJwk();
        using var ec = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64Url.DecodeFromChars(key["d"]!.GetValue<string>()),
            Q = new ECPoint { X = Base64Url.DecodeFromChars(key["x"]!.GetValue<string>()), Y = Base64Url.DecodeFromChars(key["y"]!.GetValue<string>()) },
        });
        return ec.SignData(data, HashAlgorithmName.SHA256);
    }

    /// <summary>The header and payload of a real token, changed, then signed (with the server's key unless said).</summary>
    private string Resign(string token, Action<JsonObject, JsonObject> change, Func<byte[], byte[]>? sign = null)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        change(header, payload);
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + Base64Url.EncodeToString((sign ?? SignWithServerKey)(Encoding.ASCII.GetBytes(input)));
    }

    private static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));
}

public sealed class TokenSecurityTestsOnSqlite : TokenSecurityTests<Sqlite>;

public sealed class TokenSecurityTestsOnPostgres : TokenSecurityTests<Postgres>;
