using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>Accounts and sessions at <c>/auth/*</c>, and the public signing keys at <c>/.well-known/jwks.json</c>.</summary>
public static class AuthEndpoints
{
    /// <summary>Maps the auth routes.</summary>
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var auth = endpoints.MapGroup("/auth").WithTags("auth");
        auth.MapPost("/register", AccountHandlers.RegisterAsync).WithName("register").WithSummary("Create an account (the answer is the same whether or not the address is taken)");
        auth.MapPost("/login", AccountHandlers.LoginAsync).WithName("login").WithSummary("Sign in with email and password");
        auth.MapPost("/superuser/login", AccountHandlers.SuperuserLoginAsync).WithName("superuserLogin").WithSummary("Sign in as a superuser");
        auth.MapPost("/refresh", AccountHandlers.RefreshAsync).WithName("refresh").WithSummary("Exchange a refresh token for new tokens");
        auth.MapPost("/logout", AccountHandlers.LogoutAsync).WithName("logout").WithSummary("End this session, or every session");
        auth.MapGet("/me", AccountHandlers.MeAsync).WithName("me").WithSummary("The signed-in account");
        auth.MapPost("/password/change", PasswordHandlers.ChangeAsync).WithName("changePassword").WithSummary("Change the password (ends other sessions)");
        auth.MapPost("/password/forgot", PasswordHandlers.ForgotAsync).WithName("forgotPassword").WithSummary("Mail a reset link (always 202)");
        auth.MapPost("/password/reset", PasswordHandlers.ResetAsync).WithName("resetPassword").WithSummary("Set a new password with a reset token");
        auth.MapPost("/verify/request", PasswordHandlers.RequestVerificationAsync).WithName("requestVerification").WithSummary("Mail a verification link (always 202)");
        auth.MapPost("/verify", PasswordHandlers.VerifyAsync).WithName("verify").WithSummary("Confirm the email address with a verification token");
        endpoints.MapGet("/.well-known/jwks.json", (HttpContext context, SharpbaseRuntime runtime) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Text(runtime.Auth.Keys.JwksJson(), "application/json");
        }).WithName("jwks").WithTags("auth").WithSummary("Public keys that verify access tokens");
        endpoints.MapAuthPages();
        return endpoints;
    }
}
