using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sharpbase.Auth;

/// <summary>Opening a session and answering with its tokens: the last step of every sign-in.</summary>
internal static class SignIn
{
    /// <summary>Creates a session and answers 200 <c>{access_token, token_type, expires_in, refresh_token, user}</c>.</summary>
    public static async Task<IResult> CompleteAsync(HttpContext context, AuthServices auth, string kind, string accountId, CancellationToken cancellationToken)
    {
        var state = await auth.Cache.GetAsync(kind, accountId, cancellationToken);
        if (state is null || state.Disabled)
        {
            return AuthenticationMiddleware.Unauthorized("invalid_token", "the account is not available");
        }
        var session = await auth.Store.CreateSessionAsync(kind, accountId, auth.Now, auth.Options.RefreshTokenLifetime, cancellationToken);
        return await RespondAsync(context, auth, kind, accountId, session.SessionId, session.RefreshToken, state.TokenVersion, cancellationToken);
    }

    /// <summary>Answers with a new access token for an existing session and its (new) refresh token.</summary>
    public static async Task<IResult> RespondAsync(HttpContext context, AuthServices auth, string kind, string accountId, string sessionId, string refreshToken,
        long tokenVersion, CancellationToken cancellationToken)
    {
        var accessToken = auth.Tokens.Issue(new AccessTokenClaims(accountId, sessionId, kind, tokenVersion));
        var buffer = new ArrayBufferWriter<byte>(1024);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", accessToken);
            writer.WriteString("token_type", "Bearer");
            writer.WriteNumber("expires_in", (long)auth.Options.Jwt.AccessTokenLifetime.TotalSeconds);
            writer.WriteString("refresh_token", refreshToken);
            await WriteAccountAsync(writer, auth, kind, accountId, cancellationToken);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(buffer.WrittenMemory, "application/json");
    }

    /// <summary>Writes <c>"user": {record}</c> for a user, or <c>"superuser": {id, email}</c>.</summary>
    public static async Task WriteAccountAsync(Utf8JsonWriter writer, AuthServices auth, string kind, string accountId, CancellationToken cancellationToken)
    {
        if (kind == AccountKind.Superuser)
        {
            var account = await auth.Store.FindByIdAsync(kind, accountId, cancellationToken);
            writer.WriteStartObject("superuser");
            writer.WriteString("id", accountId);
            writer.WriteString("email", account?.Email);
            writer.WriteEndObject();
            return;
        }
        // Your own account is always yours to see, whatever the collection's view rule says.
        var record = await auth.Engine.GetAsync(auth.Store.Users!.Name, accountId, new Rules.CallerContext(null, true, auth.Now), cancellationToken);
        writer.WritePropertyName("user");
        if (record.Json.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(record.Json.Span, skipInputValidation: true);
        }
    }
}
