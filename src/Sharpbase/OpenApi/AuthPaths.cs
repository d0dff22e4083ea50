using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>The operations of <c>/auth/*</c>, <c>/.well-known/jwks.json</c> and <c>/health/*</c>.</summary>
internal static class AuthPaths
{
    private const string Tag = "auth";

    public static void Add(OpenApiDocument document, AppSchema schema)
    {
        var anyone = Operations.Anyone(document);
        var sessions = new OpenApiSchema { OneOf = [Schemas.Ref("UserSession", document), Schemas.Ref("SuperuserSession", document)] };
        var credentials = new JsonObject { ["email"] = "ann@example.com", ["password"] = "correct horse battery" };

        if (schema.Collections.Any(c => c.Auth))
        {
            var register = Post(document, "/auth/register", "register", "Create an account",
                "The answer is the same 202 whether or not the address is taken, so registration cannot tell who has an account; the mailbox owner is told which it was.",
                anyone, Operations.Body(Schemas.Ref("Registration", document), null, new JsonObject { ["email"] = "ann@example.com", ["password"] = "correct horse battery" }),
                422);
            register.Responses!["202"] = Accepted(document);
        }
        var login = Post(document, "/auth/login", "login", "Sign in with email and password",
            "Unknown address, wrong password and disabled account get the same 401. Repeated failures wait, then lock, per account and per address (429 with Retry-After). "
            + "With TOTP on, the answer is an MFA challenge instead of a session.",
            anyone, Operations.Body(Schemas.Ref("Credentials", document), null, credentials), 422, 503);
        login.Responses!["200"] = Operations.Json(document, "A new session, or the MFA challenge.",
            new OpenApiSchema { OneOf = [Schemas.Ref("UserSession", document), Schemas.Ref("MfaChallenge", document)] }, null, "Cache-Control");
        var superuserLogin = Post(document, "/auth/superuser/login", "superuserLogin", "Sign in as a superuser", "Like `/auth/login`, for superuser accounts.",
            anyone, Operations.Body(Schemas.Ref("Credentials", document), null, credentials), 422, 503);
        superuserLogin.Responses!["200"] = Operations.Json(document, "A new session, or the MFA challenge.",
            new OpenApiSchema { OneOf = [Schemas.Ref("SuperuserSession", document), Schemas.Ref("MfaChallenge", document)] }, null, "Cache-Control");
        var refresh = Post(document, "/auth/refresh", "refresh", "Exchange a refresh token for new tokens",
            "Each refresh token works once; presenting a used one revokes the whole session.", anyone,
            Operations.Body(Schemas.Ref("RefreshRequest", document)), 422);
        refresh.Responses!["200"] = Operations.Json(document, "New access and refresh tokens.", sessions, null, "Cache-Control");
        var logout = Post(document, "/auth/logout", "logout", "End this session, or every session",
            "The session's tokens stop working at once. No body (or `{}`) ends this session; `{\"all\": true}` ends every session of the account.",
            Operations.AccessTokenOnly(document), Operations.Body(Schemas.Ref("LogoutRequest", document), required: false), 415, 422);
        logout.Responses!["204"] = Operations.Empty(document, "Signed out.");

        var me = Operations.Create(document, "getMe", Tag, "The signed-in account", "The caller's own account, whatever the collection's view rule says.", Operations.SignedIn(document));
        me.Responses!["200"] = Operations.Json(document, "The account.", Schemas.Ref("Me", document), null, "Cache-Control");
        Operations.Problems(document, me);
        Operations.Add(document, "/auth/me", HttpMethod.Get, me);

        var change = Post(document, "/auth/password/change", "changePassword", "Change the password",
            "Needs the current password. Ends every session and older access token of the account, then answers with a new session for this client.",
            Operations.AccessTokenOnly(document), Operations.Body(Schemas.Ref("PasswordChange", document)), 415, 422, 503);
        change.Responses!["200"] = Operations.Json(document, "A new session.", sessions, null, "Cache-Control");
        var forgot = Post(document, "/auth/password/forgot", "forgotPassword", "Mail a password reset link",
            "Always 202, whether or not the address has an account.", anyone, Operations.Body(Schemas.Ref("EmailRequest", document)), 415, 422);
        forgot.Responses!["202"] = Accepted(document);
        var reset = Post(document, "/auth/password/reset", "resetPassword", "Set a new password with a reset token",
            "The token is single-use. Ends every session of the account and marks its address verified.", anyone,
            Operations.Body(Schemas.Ref("PasswordReset", document)), 415, 422, 503);
        reset.Responses!["204"] = Operations.Empty(document, "The password is set.");
        var verifyRequest = Post(document, "/auth/verify/request", "requestVerification", "Mail a verification link",
            "Always 202, whether or not the address has an account.", anyone, Operations.Body(Schemas.Ref("EmailRequest", document)), 415, 422);
        verifyRequest.Responses!["202"] = Accepted(document);
        var verify = Post(document, "/auth/verify", "verifyEmail", "Confirm the email address", "The token from the mailed link; single-use.", anyone,
            Operations.Body(Schemas.Ref("TokenRequest", document)), 415, 422);
        verify.Responses!["204"] = Operations.Empty(document, "The address is verified.");

        AddMfa(document, anyone);
        AddApiKeys(document);

        var jwks = Operations.Create(document, "getJwks", Tag, "Public keys that verify access tokens", "Several keys during a rotation; the newest signs.", anyone);
        jwks.Responses!["200"] = Operations.Json(document, "The key set.", Schemas.Ref("Jwks", document), null, "Cache-Control");
        Operations.Problems(document, jwks);
        Operations.Add(document, "/.well-known/jwks.json", HttpMethod.Get, jwks);

        var live = Operations.Create(document, "checkLive", "health", "The process is running", "For liveness probes.", anyone);
        live.Responses!["200"] = Operations.Json(document, "Alive.", Schemas.Ref("Health", document), new JsonObject { ["status"] = "live" }, "Cache-Control");
        Operations.Problems(document, live);
        Operations.Add(document, "/health/live", HttpMethod.Get, live);
        var ready = Operations.Create(document, "checkReady", "health", "The server can serve requests",
            "The database answers and the server is not stopping; `redis` is shown when Redis is configured (`degraded`: limits are counted per node meanwhile).", anyone);
        ready.Responses!["200"] = Operations.Json(document, "Ready.", Schemas.Ref("Health", document), new JsonObject { ["status"] = "ready", ["database"] = "ok" }, "Cache-Control");
        Operations.Problems(document, ready, 503);
        Operations.Add(document, "/health/ready", HttpMethod.Get, ready);
    }

    private static void AddMfa(OpenApiDocument document, List<OpenApiSecurityRequirement> anyone)
    {
        var setup = Operations.Create(document, "setupTotp", Tag, "Start TOTP set-up",
            "A new secret and its otpauth URI for an authenticator app; TOTP turns on only with `/auth/mfa/totp/enable`.", Operations.AccessTokenOnly(document));
        setup.Responses!["200"] = Operations.Json(document, "The secret.", Schemas.Ref("TotpSetup", document), null, "Cache-Control");
        Operations.Problems(document, setup, 403, 409);
        Operations.Add(document, "/auth/mfa/totp/setup", HttpMethod.Post, setup);
        var enable = Post(document, "/auth/mfa/totp/enable", "enableTotp", "Turn TOTP on", "Proven by a first code; answers the recovery codes, once.",
            Operations.AccessTokenOnly(document), Operations.Body(Schemas.Ref("TotpCode", document)), 403, 409, 415, 422);
        enable.Responses!["200"] = Operations.Json(document, "TOTP is on.", Schemas.Ref("RecoveryCodes", document), null, "Cache-Control");
        var disable = Post(document, "/auth/mfa/totp/disable", "disableTotp", "Turn TOTP off", "Proven by a code, a recovery code or the password; bad proofs are throttled.",
            Operations.AccessTokenOnly(document), Operations.Body(Schemas.Ref("TotpDisable", document)), 403, 409, 415, 422, 503);
        disable.Responses!["204"] = Operations.Empty(document, "TOTP is off.");
        var login = Post(document, "/auth/mfa/totp/login", "loginTotp", "Second sign-in step", "The token from `/auth/login` with a current code or a recovery code.",
            anyone, Operations.Body(Schemas.Ref("TotpLogin", document)), 415, 422);
        login.Responses!["200"] = Operations.Json(document, "A new session.", new OpenApiSchema { OneOf = [Schemas.Ref("UserSession", document), Schemas.Ref("SuperuserSession", document)] },
            null, "Cache-Control");
    }

    private static void AddApiKeys(OpenApiDocument document)
    {
        var create = Post(document, "/auth/api-keys", "createApiKey", "Create an API key",
            $"The key is in this answer only; it is stored as a hash. An account has at most {AuthSchemas.ApiKeyLimit} live keys (409 beyond).",
            Operations.AccessTokenOnly(document), Operations.Body(Schemas.Ref("ApiKeyCreate", document), null, new JsonObject { ["name"] = "deploy script" }), 403, 409, 415, 422);
        create.Responses!["201"] = Operations.Json(document, "The new key.", Schemas.Ref("NewApiKey", document), null, "Cache-Control");
        var list = Operations.Create(document, "listApiKeys", Tag, "List the account's API keys", "Never the keys themselves.", Operations.AccessTokenOnly(document));
        list.Responses!["200"] = Operations.Json(document, "The live keys.", Schemas.Ref("ApiKeyList", document), null, "Cache-Control");
        Operations.Problems(document, list, 403);
        Operations.Add(document, "/auth/api-keys", HttpMethod.Get, list);
        var revoke = Operations.Create(document, "revokeApiKey", Tag, "Revoke an API key", "It stops working at once. Another account's key is 404.", Operations.AccessTokenOnly(document));
        revoke.Parameters!.Add(Operations.Path("id", Schemas.String(36, "uuid"), "The key's id."));
        revoke.Responses!["204"] = Operations.Empty(document, "Revoked.");
        Operations.Problems(document, revoke, 403, 404);
        Operations.Add(document, "/auth/api-keys/{id}", HttpMethod.Delete, revoke);
    }

    private static OpenApiOperation Post(OpenApiDocument document, string path, string operationId, string summary, string description,
        List<OpenApiSecurityRequirement> security, OpenApiRequestBody body, params int[] problems)
    {
        var operation = Operations.Create(document, operationId, Tag, summary, description, security);
        operation.RequestBody = body;
        Operations.Problems(document, operation, problems);
        Operations.Add(document, path, HttpMethod.Post, operation);
        return operation;
    }

    private static OpenApiResponse Accepted(OpenApiDocument document) => Operations.Json(document, "Accepted; the outcome goes to the mailbox.",
        Schemas.Ref("Accepted", document), new JsonObject { ["status"] = "accepted", ["detail"] = "registration received; check your mailbox" });
}
