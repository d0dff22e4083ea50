using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sharpbase.Bench.Baseline;

/// <summary>
/// Validates Sharpbase's access tokens with the keys of its data folder and the same parameters
/// (pinned algorithms, typ at+jwt, issuer, audience, lifetime with 60 s skew, key by kid).
/// </summary>
internal sealed class TokenCheck
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    public TokenCheck(string keyFile)
    {
        var keys = new JsonWebKeySet(File.ReadAllText(keyFile));
        _parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [.. keys.Keys.Select(k => k.Alg).Distinct()],
            ValidTypes = ["at+jwt"],
            ValidIssuer = "sharpbase",
            ValidAudience = "sharpbase-api",
            RequireAudience = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(60),
            IssuerSigningKeys = keys.GetSigningKeys(),
            TryAllIssuerSigningKeys = false,
        };
    }

    /// <summary>The subject of a valid <c>Authorization: Bearer</c> token; null when there is none; false when it is invalid.</summary>
    public async Task<(bool Valid, string? Subject)> CallerAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return (true, null);
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (false, null);
        }
        var result = await _handler.ValidateTokenAsync(header[7..].Trim(), _parameters);
        return result.IsValid && result.SecurityToken is JsonWebToken token && token.TryGetPayloadValue<string>("sub", out var subject)
            ? (true, subject)
            : (false, null);
    }
}
