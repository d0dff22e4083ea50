using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>One signing key of a <see cref="SigningKeys"/> set, read from and written as a JWK.</summary>
internal sealed class JwtKey
{
    public const string ES256 = SecurityAlgorithms.EcdsaSha256;
    public const string RS256 = SecurityAlgorithms.RsaSha256;
    public const string HS256 = SecurityAlgorithms.HmacSha256;

    public const int MinRsaBits = 2048;
    public const int MinSecretBytes = 32;
    public const string CreatedMember = "sb_created";

    private const int NewRsaBits = 2048;

    private readonly ECParameters _ec;
    private readonly RSAParameters _rsa;
    private readonly byte[]? _secret;

    internal JwtKey(string keyId, string algorithm, DateTimeOffset? created, ECParameters ec, RSAParameters rsa, byte[]? secret)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        Created = created;
        _ec = ec;
        _rsa = rsa;
        _secret = secret;
        SecurityKey = algorithm switch
        {
            ES256 => new ECDsaSecurityKey(ECDsa.Create(ec)) { KeyId = keyId },
            RS256 => new RsaSecurityKey(RSA.Create(rsa)) { KeyId = keyId },
            _ => new SymmetricSecurityKey(secret) { KeyId = keyId },
        };
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    /// <summary>When the key was made, if known (keys from configuration carry no date).</summary>
    public DateTimeOffset? Created { get; }

    public SecurityKey SecurityKey { get; }

    /// <summary>Whether the public half may be published: shared HS256 secrets never are.</summary>
    public bool IsPublic => Algorithm != HS256;

    public static bool IsSupported(string algorithm) => algorithm is ES256 or RS256 or HS256;

    public static JwtKey Create(string algorithm, DateTimeOffset now)
    {
        var keyId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(8));
        switch (algorithm)
        {
            case ES256:
                using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return new JwtKey(keyId, algorithm, now, ec.ExportParameters(includePrivateParameters: true), default, null);
                }
            case RS256:
                using (var rsa = RSA.Create(NewRsaBits))
                {
                    return new JwtKey(keyId, algorithm, now, default, rsa.ExportParameters(includePrivateParameters: true), null);
                }
            case HS256:
                return new JwtKey(keyId, algorithm, now, default, default, RandomNumberGenerator.GetBytes(MinSecretBytes));
            default:
                throw new SharpbaseStartupException($"JWT algorithm '{algorithm}' is not supported; use ES256, RS256 or HS256");
        }
    }

    /// <summary>Writes the whole key, private part included (for the key file only).</summary>
    public void WritePrivate(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteCommon(writer);
        switch (Algorithm)
        {
            case ES256:
                writer.WriteString("d", Base64Url.EncodeToString(_ec.D));
                break;
            case RS256:
                writer.WriteString("d", Base64Url.EncodeToString(_rsa.D));
                writer.WriteString("p", Base64Url.EncodeToString(_rsa.P));
                writer.WriteString("q", Base64Url.EncodeToString(_rsa.Q));
                writer.WriteString("dp", Base64Url.EncodeToString(_rsa.DP));
                writer.WriteString("dq", Base64Url.EncodeToString(_rsa.DQ));
                writer.WriteString("qi", Base64Url.EncodeToString(_rsa.InverseQ));
                break;
            default:
                writer.WriteString("k", Base64Url.EncodeToString(_secret));
                break;
        }
        if (Created is { } created)
        {
            writer.WriteNumber(CreatedMember, created.ToUnixTimeSeconds());
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes the public half as a JWK; only for <see cref="IsPublic"/> keys.</summary>
    public void WritePublic(Utf8JsonWriter writer)
    {
        if (!IsPublic)
        {
            throw new InvalidOperationException("A shared HS256 secret has no public half.");
        }
        writer.WriteStartObject();
        WriteCommon(writer);
        writer.WriteEndObject();
    }

    private void WriteCommon(Utf8JsonWriter writer)
    {
        switch (Algorithm)
        {
            case ES256:
                writer.WriteString("kty", "EC");
                writer.WriteString("crv", "P-256");
                writer.WriteString("x", Base64Url.EncodeToString(_ec.Q.X));
                writer.WriteString("y", Base64Url.EncodeToString(_ec.Q.Y));
                break;
            case RS256:
                writer.WriteString("kty", "RSA");
                writer.WriteString("n", Base64Url.EncodeToString(_rsa.Modulus));
                writer.WriteString("e", Base64Url.EncodeToString(_rsa.Exponent));
                break;
            default:
                writer.WriteString("kty", "oct");
                break;
        }
        writer.WriteString("kid", KeyId);
        writer.WriteString("alg", Algorithm);
        writer.WriteString("use", "sig");
    }
}
