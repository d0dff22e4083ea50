using Sharpbase.Rules;

namespace Sharpbase.Auth;

/// <summary>The authenticated caller of a request, set by the authentication middleware.</summary>
internal sealed record CallerFeature(CallerContext Caller, AccessTokenClaims? Claims);
