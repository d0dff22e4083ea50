using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>Reads signing keys from JWKs (RFC 7517/7518), strictly: only what <see cref="JwtKey"/> can sign with.</summary>
internal static class JwkReader
{
    private const int EcCoordinateBytes = 32;

    /// <summary>Reads a JWK with its private part; refuses unknown, weak or public-only keys.</summary>
    /// <param name="jwk">The JWK object.</param>
    /// <param name="source">Where the key came from, for error messages.</param>
    public static JwtKey Read(JsonElement jwk, string source)
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
            "EC" => JwtKey.ES256,
            "RSA" => JwtKey.RS256,
            "oct" => JwtKey.HS256,
            _ => throw Invalid(source, $"has kty '{kty}'; supported are EC (ES256), RSA (RS256) and oct (HS256)"),
        };
        var alg = OptionalString(jwk, "alg", source) ?? expected;
        if (alg != expected)
        {
            throw Invalid(source, $"has alg '{alg}', which does not go with kty '{kty}' (expected {expected})");
        }
        DateTimeOffset? created = jwk.TryGetProperty(JwtKey.CreatedMember, out var c) && c.TryGetInt64(out var seconds) && seconds is >= 0 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        try
        {
            switch (alg)
            {
                case JwtKey.ES256:
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
                case JwtKey.RS256:
                    var modulus = Bytes(jwk, "n", source);
                    if (modulus.Length * 8 < JwtKey.MinRsaBits)
                    {
                        throw Invalid(source, $"is a {modulus.Length * 8}-bit RSA key; at least {JwtKey.MinRsaBits} bits are required");
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
                    if (secret.Length < JwtKey.MinSecretBytes)
                    {
                        throw Invalid(source, $"is a {secret.Length * 8}-bit HS256 secret; at least {JwtKey.MinSecretBytes * 8} bits are required");
                    }
                    return new JwtKey(kid, alg, created, default, default, secret);
            }
        }
        catch (CryptographicException e)
        {
            throw new SharpbaseStartupException($"JWT key {source} is not a valid {alg} key: {e.Message}", e);
        }
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
