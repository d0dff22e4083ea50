using Sharpbase.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Observability;

namespace Sharpbase.Auth;

/// <summary>
/// Turns <c>Authorization: Bearer …</c> into the request's caller: a signed access token whose
/// account, token version and session are still current, or an API key. Anything presented and
/// not valid is a 401 — never a silent downgrade to anonymous. Tokens in query strings are refused.
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, SharpbaseRuntime runtime)
{
    private static readonly string[] QueryTokenNames = ["access_token", "token", "api_key", "apikey", "key", "jwt", "refresh_token"];

    // Not async: a request without credentials (most reads) passes straight through.
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue)
        {
            foreach (var name in QueryTokenNames)
            {
                if (context.Request.Query.ContainsKey(name))
                {
                    return Unauthorized("invalid_request", "credentials are never accepted in the query string; send Authorization: Bearer").ExecuteAsync(context);
                }
            }
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0 || !runtime.IsReady || context.GetEndpoint()?.Metadata.GetMetadata<OwnCredentialsMetadata>() is not null)
        {
            return next(context);
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Unauthorized("invalid_request", "the Authorization header must be 'Bearer <token>'").ExecuteAsync(context);
        }
        return AuthenticateThenNextAsync(context, runtime.Auth, header[7..].Trim());
    }

    private async Task AuthenticateThenNextAsync(HttpContext context, AuthServices auth, string token)
    {
        var caller = await AuthenticateAsync(auth, token, context.RequestAborted);
        if (caller is null)
        {
            await Unauthorized("invalid_token", "the access token is invalid, expired or revoked").ExecuteAsync(context);
            return;
        }
        context.Features.Set(caller);
        await next(context);
    }

    /// <summary>The caller of a request: who the middleware authenticated, or anonymous.</summary>
    public static CallerContext Caller(HttpContext context, TimeProvider time) =>
        context.Features.Get<CallerFeature>()?.Caller ?? new CallerContext(null, false, time.GetUtcNow().UtcDateTime);

    public static Problem Unauthorized(string error, string detail) => new(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, detail)
    {
        Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = $"Bearer error=\"{error}\"" },
    };

    private static async Task<CallerFeature?> AuthenticateAsync(AuthServices auth, string token, CancellationToken cancellationToken)
    {
        using var span = Spans.Start("auth.token.validate");
        var apiKey = SecureTokens.LooksLikeApiKey(token);
        var caller = apiKey ? await ApiKeyCallerAsync(auth, token, cancellationToken) : await TokenCallerAsync(auth, token, cancellationToken);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(Spans.AuthCredential, apiKey ? "api_key" : "access_token");
            span.SetTag(Spans.AuthResult, caller is null ? "invalid" : "valid");
        }
        return caller;
    }

    private static async Task<CallerFeature?> TokenCallerAsync(AuthServices auth, string token, CancellationToken cancellationToken)
    {
        var claims = await auth.Tokens.ValidateAsync(token);
        if (claims is null || await auth.Cache.IsRevokedAsync(claims.SessionId, cancellationToken))
        {
            return null;
        }
        var state = await auth.Cache.GetAsync(claims.Kind, claims.Subject, cancellationToken);
        if (state is null || state.Disabled || state.TokenVersion != claims.TokenVersion)
        {
            return null;
        }
        var caller = new CallerContext(claims.Subject, claims.Kind == AccountKind.Superuser, auth.Now) { Roles = state.Roles, Fields = state.Fields };
        return new CallerFeature(caller, claims);
    }

    private static async Task<CallerFeature?> ApiKeyCallerAsync(AuthServices auth, string key, CancellationToken cancellationToken)
    {
        var found = await auth.ApiKeys.FindAsync(key, cancellationToken);
        if (found is null)
        {
            return null;
        }
        var state = await auth.Cache.GetAsync(found.Kind, found.AccountId, cancellationToken);
        if (state is null || state.Disabled)
        {
            return null;
        }
        var caller = new CallerContext(found.AccountId, found.Kind == AccountKind.Superuser, auth.Now) { Roles = state.Roles, Fields = state.Fields, ApiKeyId = found.Id };
        return new CallerFeature(caller, null);
    }
}
