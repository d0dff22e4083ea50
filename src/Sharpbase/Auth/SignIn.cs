using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sharpbase.Errors;

namespace Sharpbase.Auth;

/// <summary>
/// PLACEHOLDER until the accounts endpoints are merged: the real helper (shared by password login
/// and the second MFA step) replaces this file. Opens a session and answers with its tokens.
/// </summary>
internal static class SignIn
{
    public static async Task<IResult> CompleteAsync(HttpContext context, AuthServices auth, string kind, string accountId, CancellationToken cancellationToken)
    {
        var state = await auth.Store.GetStateAsync(kind, accountId, cancellationToken);
        var account = await auth.Store.FindByIdAsync(kind, accountId, cancellationToken);
        if (state is null || state.Disabled || account is null)
        {
            return new Problem(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidCredentials, "the credentials are not valid");
        }
        var session = await auth.Store.CreateSessionAsync(kind, accountId, auth.Now, auth.Options.RefreshTokenLifetime, cancellationToken);
        var accessToken = auth.Tokens.Issue(new AccessTokenClaims(accountId, session.SessionId, kind, state.TokenVersion));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", accessToken);
            writer.WriteString("token_type", "Bearer");
            writer.WriteNumber("expires_in", (long)auth.Options.Jwt.AccessTokenLifetime.TotalSeconds);
            writer.WriteString("refresh_token", session.RefreshToken);
            writer.WriteStartObject("user");
            writer.WriteString("id", account.Id);
            writer.WriteString("email", account.Email);
            writer.WriteString("kind", kind);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(buffer.WrittenMemory, "application/json");
    }
}
