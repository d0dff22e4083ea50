namespace Sharpbase.Auth;

/// <summary>How access tokens are signed and checked.</summary>
public sealed class JwtOptions
{
    /// <summary>Maximum accepted clock skew; larger configured values are capped to it.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Signing algorithm of new keys: <c>ES256</c> (default, ECDSA P-256), <c>RS256</c> (RSA 2048)
    /// or <c>HS256</c> (a 256-bit shared secret, which is never published in the JWKS).
    /// </summary>
    public string Algorithm { get; set; } = "ES256";

    /// <summary>The <c>iss</c> claim written and required (<c>sharpbase</c>).</summary>
    public string Issuer { get; set; } = "sharpbase";

    /// <summary>The <c>aud</c> claim written and required (<c>sharpbase-api</c>).</summary>
    public string Audience { get; set; } = "sharpbase-api";

    /// <summary>How long an access token is valid (15 min).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Clock skew tolerated on <c>exp</c> and <c>nbf</c> (60 s, which is also the maximum).</summary>
    public TimeSpan ClockSkew { get; set; } = MaxClockSkew;

    /// <summary>
    /// Signing keys as JWK JSON objects with their private parts, newest (signing) first. When empty
    /// (the default) keys are kept in <c>jwt-keys.json</c> in the data folder, created on first start.
    /// </summary>
    public IReadOnlyList<string> Keys { get; set; } = [];
}
