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

    private const int EcCoordinateBytes = 32;
    private const int MinRsaBits = 2048;
    private const int NewRsaBits = 2048;
    private const int MinSecretBytes = 32;
    private const string CreatedMember = "sb_created";

    private readonly ECParameters _ec;
    private readonly RSAParameters _rsa;
    private readonly byte[]? _secret;

    private JwtKey(string keyId, string algorithm, DateTimeOffset? created, ECParameters ec, RSAParameters rsa, byte[]? secret)
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

    /// <summary>Reads a JWK with its private part; refuses unknown, weak or public-only keys.</summary>
    /// <param name="jwk">The JWK object.</param>
    /// <param name="source">Where the key came from, for error messages.</param>
    public static JwtKey Parse(JsonElement jwk, string source)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, "is not a JSON object");
        }
        var kid = OptionalString(jwk, "kid", source);
        if (string.IsNullOrEmpty(kid))
        {
            throw Invalid(source, "has no 'kid'");
        }
        source = $"{source} (kid '{kid}')";
        if (OptionalString(jwk, "use", source) is { } use && use != "sig")
        {
            throw Invalid(source, $"has use '{use}'; signing keys need 'sig'");
        }
        var kty = OptionalString(jwk, "kty", source);
        var expected = kty switch
        {
            "EC" => ES256,
            "RSA" => RS256,
            "oct" => HS256,
            _ => throw Invalid(source, $"has kty '{kty}'; supported are EC (ES256), RSA (RS256) and oct (HS256)"),
        };
        var alg = OptionalString(jwk, "alg", source) ?? expected;
        if (alg != expected)
        {
            throw Invalid(source, $"has alg '{alg}', which does not go with kty '{kty}' (expected {expected})");
        }
        DateTimeOffset? created = jwk.TryGetProperty(CreatedMember, out var c) && c.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        try
        {
            switch (alg)
            {
                case ES256:
                    if (OptionalString(jwk, "crv", source) != "P-256")
                    {
                        throw Invalid(source, "is not on curve P-256, which ES256 needs");
                    }
                    var ec = new ECParameters
                    {
                        Curve = ECCurve.NamedCurves.nistP256,
                        Q = new ECPoint { X = Bytes(jwk, "x", source, EcCoordinateBytes), Y = Bytes(jwk, "y", source, EcCoordinateBytes) },
                        D = Bytes(jwk, "d", source, EcCoordinateBytes),
                    };
                    ec.Validate();
                    return new JwtKey(kid, alg, created, ec, default, null);
                case RS256:
                    var modulus = Bytes(jwk, "n", source);
                    if (modulus.Length * 8 < MinRsaBits)
                    {
                        throw Invalid(source, $"is a {modulus.Length * 8}-bit RSA key; at least {MinRsaBits} bits are required");
                    }
                    var half = (modulus.Length + 1) / 2;
                    var rsa = new RSAParameters
                    {
                        Modulus = modulus,
                        Exponent = Bytes(jwk, "e", source),
                        D = Bytes(jwk, "d", source, modulus.Length),
                        P = Bytes(jwk, "p", source, half),
                        Q = Bytes(jwk, "q", source, half),
                        DP = Bytes(jwk, "dp", source, half),
                        DQ = Bytes(jwk, "dq", source, half),
                        InverseQ = Bytes(jwk, "qi", source, half),
                    };
                    using (var check = RSA.Create(rsa))
                    {
                        // Importing checks the parameters' shape; a signature round trip checks they belong together.
                        byte[] data = [1];
                        var probe = check.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                        if (!check.VerifyData(data, probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                        {
                            throw Invalid(source, "has private parameters that do not match its public key");
                        }
                    }
                    return new JwtKey(kid, alg, created, default, rsa, null);
                default:
                    var secret = Bytes(jwk, "k", source);
                    if (secret.Length < MinSecretBytes)
                    {
                        throw Invalid(source, $"is a {secret.Length * 8}-bit HS256 secret; at least {MinSecretBytes * 8} bits are required");
                    }
                    return new JwtKey(kid, alg, created, default, default, secret);
            }
        }
        catch (CryptographicException e)
        {
            throw new SharpbaseStartupException($"JWT key {source} is not a valid {alg} key: {e.Message}", e);
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

    private static string? OptionalString(JsonElement jwk, string name, string source)
    {
        if (!jwk.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(source, $"has a non-string '{name}'");
    }

    /// <summary>A base64url member, left-padded with zeros to <paramref name="length"/> when given (JWK integers drop leading zeros).</summary>
    private static byte[] Bytes(JsonElement jwk, string name, string source, int length = 0)
    {
        var text = OptionalString(jwk, name, source) ?? throw Invalid(source, $"has no '{name}'{(name is "d" or "p" or "q" or "dp" or "dq" or "qi" or "k" ? " (the private part is needed to sign)" : "")}");
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            throw Invalid(source, $"has a '{name}' that is not base64url");
        }
        if (bytes.Length == 0 || (length > 0 && bytes.Length > length))
        {
            throw Invalid(source, $"has a '{name}' of the wrong length");
        }
        if (length > bytes.Length)
        {
            var padded = new byte[length];
            bytes.CopyTo(padded, length - bytes.Length);
            return padded;
        }
        return bytes;
    }

    private static SharpbaseStartupException Invalid(string source, string problem) => new($"JWT key {source} {problem}");
}
