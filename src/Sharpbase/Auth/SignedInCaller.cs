using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sharpbase.Errors;

namespace Sharpbase.Auth;

/// <summary>
/// The gate of account-management endpoints (second factor, API keys): the caller must have signed
/// in, with an access token. An API key is refused, so a leaked key cannot mint more keys or change
/// the account's second factor.
/// </summary>
internal static class SignedInCaller
{
    public static Problem? Require(HttpContext context, out AccessTokenClaims claims)
    {
        var feature = context.Features.Get<CallerFeature>();
        claims = feature?.Claims!;
        if (feature is null)
        {
            // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
            return new Problem(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "sign in first: send Authorization: Bearer <access token>")
            {
                Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = "Bearer" },
            };
        }
        return feature.Claims is null
            ? new Problem(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "an API key cannot manage the account; use an access token from signing in")
            : null;
    }
}
