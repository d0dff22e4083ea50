using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sharpbase.Auth;

/// <summary>
/// Issues and validates the short-lived JWT access tokens (<c>typ: at+jwt</c>, RFC 9068 style).
/// Validation pins the algorithms, the type, issuer and audience, takes the key only by <c>kid</c>
/// from our own key set, and never follows key references in the header.
/// </summary>
internal sealed class AccessTokens
{
    public const string TokenType = "at+jwt";

    private const string SessionClaim = "sid";
    private const string KindClaim = "sb_kind";
    private const string TokenVersionClaim = "sb_tv";
    private const int MaxTokenBytes = 8 * 1024;

    // Header parameters that point to (or carry) a verification key. Honouring any of them would let
    // the token choose the key that verifies it, so a token that has one is refused outright; 'crit'
    // would demand extensions we do not implement.
    private static readonly string[] ForbiddenHeaders = ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256", "crit"];

    private readonly SigningKeys _keys;
    private readonly JwtOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;
    private readonly JsonWebTokenHandler _handler;
    private readonly SigningCredentials _credentials;
    private readonly TokenValidationParameters _parameters;

    public AccessTokens(SigningKeys keys, JwtOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _keys = keys;
        _options = options;
        _skew = options.ClockSkew > JwtOptions.MaxClockSkew ? JwtOptions.MaxClockSkew
            : options.ClockSkew < TimeSpan.Zero ? TimeSpan.Zero : options.ClockSkew;
        _time = time;
        _handler = new JsonWebTokenHandler
        {
            SetDefaultTimesOnTokenCreation = false,
            MaximumTokenSizeInBytes = MaxTokenBytes,
            MapInboundClaims = false,
        };
        _credentials = new SigningCredentials(keys.SigningKey, keys.Algorithm);
        _parameters = new TokenValidationParameters
        {
            // Usually just the configured algorithm; after a change of algorithm, older keys keep
            // theirs, and the key resolver below still ties each key to its own algorithm.
            ValidAlgorithms = keys.Algorithms,
            ValidTypes = [TokenType],
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireAudience = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = _skew,
            // The library's own lifetime check reads the system clock; this one reads ours.
            LifetimeValidator = ValidateLifetime,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = ResolveKey,
        };
    }

    /// <summary>Issues a signed access token valid for <see cref="JwtOptions.AccessTokenLifetime"/> from now.</summary>
    public string Issue(AccessTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Kind is not (AccessTokenClaims.UserKind or AccessTokenClaims.SuperuserKind))
        {
            throw new ArgumentException($"Unknown account kind '{claims.Kind}'.", nameof(claims));
        }
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AccessTokenLifetime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = claims.Subject,
                [SessionClaim] = claims.SessionId,
                [KindClaim] = claims.Kind,
                [TokenVersionClaim] = claims.TokenVersion,
                [JwtRegisteredClaimNames.Jti] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            },
        });
    }

    /// <summary>The token's claims, or <c>null</c> when it is not a valid access token (never throws for bad input).</summary>
    public async Task<AccessTokenClaims?> ValidateAsync(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenBytes)
        {
            return null;
        }
        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (parsed.IsEncrypted || ForbiddenHeaders.Any(name => parsed.TryGetHeaderValue<object>(name, out _)))
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(parsed, _parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken valid)
        {
            return null;
        }
        return valid.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var subject) && !string.IsNullOrEmpty(subject)
            && valid.TryGetPayloadValue<string>(SessionClaim, out var session) && !string.IsNullOrEmpty(session)
            && valid.TryGetPayloadValue<string>(KindClaim, out var kind) && kind is AccessTokenClaims.UserKind or AccessTokenClaims.SuperuserKind
            && valid.TryGetPayloadValue<long>(TokenVersionClaim, out var version)
            ? new AccessTokenClaims(subject, session, kind, version)
            : null;
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken securityToken, TokenValidationParameters parameters)
    {
        if (expires is not { } expiry || (notBefore is { } start && start > expiry))
        {
            return false;
        }
        var now = _time.GetUtcNow().UtcDateTime;
        return now - _skew < expiry && (notBefore is not { } from || from <= now + _skew);
    }

    private IEnumerable<SecurityKey> ResolveKey(string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters) =>
        _keys.FindValidationKey(kid, (securityToken as JsonWebToken)?.Alg) is { } key ? [key] : [];
}
