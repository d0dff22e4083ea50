using Microsoft.OpenApi;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>The bodies and answers of <c>/auth/*</c>: credentials, sessions, MFA, API keys and the signing keys.</summary>
internal static class AuthSchemas
{
    private const int EmailLength = 254;
    private const int OpaqueTokenLength = 43;
    private const int MaxAccessTokenLength = 8192;
    private const int MaxCodeLength = 64;

    public static void Add(OpenApiDocument document, AppSchema schema, ClientNames names, DocumentLimits limits)
    {
        var schemas = document.Components!.Schemas!;
        var password = Schemas.String(limits.PasswordMaxLength, "password", limits.PasswordMinLength,
            $"{limits.PasswordMinLength} to {limits.PasswordMaxLength} characters, never truncated.");
        var users = schema.Collections.FirstOrDefault(c => c.Auth);
        if (users is not null)
        {
            var fields = users.Fields.Where(f => !f.Readonly && !AuthFields.BuiltIns.Any(b => b.Name == f.Name)).ToList();
            schemas["Registration"] = Schemas.Object(
                [("email", Schemas.String(EmailLength, "email")), ("password", password), .. fields.Select(f => (f.Name, FieldSchemas.For(f, limits, nullable: !f.Required)))],
                ["email", "password", .. fields.Where(f => f.Required && f.Default is null).Select(f => f.Name)],
                $"A new account: its address, its password, and fields of {users.Name}.");
        }
        schemas["Credentials"] = Schemas.Object(
            [("email", Schemas.String(EmailLength, "email")), ("password", Schemas.String(limits.PasswordMaxLength, "password"))], ["email", "password"]);
        schemas["Superuser"] = Schemas.Object([("id", Schemas.String(36, "uuid")), ("email", Schemas.String(EmailLength, "email"))], ["id", "email"], "A superuser account.");
        var session = SessionMembers(limits);
        schemas["UserSession"] = Schemas.Object(
            [.. session, ("user", users is null ? new OpenApiSchema { Type = JsonSchemaType.Null } : Schemas.NullableRef(names.Record(users), document, "The signed-in account."))],
            ["access_token", "token_type", "expires_in", "refresh_token", "user"], "A new session of a user.");
        schemas["SuperuserSession"] = Schemas.Object([.. session, ("superuser", Schemas.Ref("Superuser", document))],
            ["access_token", "token_type", "expires_in", "refresh_token", "superuser"], "A new session of a superuser.");
        schemas["MfaChallenge"] = Schemas.Object(
            [
                ("mfa_required", new OpenApiSchema { Type = JsonSchemaType.Boolean, Enum = [true] }),
                ("mfa_token", Schemas.String(OpaqueTokenLength, description: "Single-use, 5 minutes: send it with a code to `/auth/mfa/totp/login`.")),
            ],
            ["mfa_required", "mfa_token"], "The password was right and the account has TOTP on: the second step is due.");
        schemas["Me"] = new OpenApiSchema
        {
            Description = "The signed-in account: `user` (a record) or `superuser`.",
            OneOf =
            [
                Schemas.Object([("user", users is null ? new OpenApiSchema { Type = JsonSchemaType.Null } : Schemas.NullableRef(names.Record(users), document))], ["user"]),
                Schemas.Object([("superuser", Schemas.Ref("Superuser", document))], ["superuser"]),
            ],
        };
        schemas["Accepted"] = Schemas.Object([("status", Schemas.Const("accepted")), ("detail", Schemas.String(256))], ["status", "detail"],
            "The request was taken; what happens next goes to the mailbox.");
        schemas["RefreshRequest"] = Schemas.Object([("refresh_token", Schemas.String(1024))], ["refresh_token"]);
        schemas["LogoutRequest"] = Schemas.Object([("all", Schemas.Boolean("End every session of the account, not only this one."))], []);
        schemas["PasswordChange"] = Schemas.Object([("current_password", Schemas.String(limits.PasswordMaxLength, "password")), ("new_password", password)],
            ["current_password", "new_password"]);
        schemas["EmailRequest"] = Schemas.Object([("email", Schemas.String(EmailLength, "email"))], ["email"]);
        schemas["PasswordReset"] = Schemas.Object([("token", Schemas.String(1024, description: "The token from the mailed link.")), ("password", password)], ["token", "password"]);
        schemas["TokenRequest"] = Schemas.Object([("token", Schemas.String(1024, description: "The token from the mailed link."))], ["token"]);
        schemas["TotpSetup"] = Schemas.Object(
            [("secret", Schemas.String(64, description: "Base32 secret for an authenticator app.")), ("otpauth_uri", Schemas.String(2048, "uri"))], ["secret", "otpauth_uri"]);
        schemas["TotpCode"] = Schemas.Object([("code", Code("The current 6-digit code of the authenticator."))], ["code"]);
        schemas["RecoveryCodes"] = Schemas.Object([("recovery_codes", Schemas.Array(Schemas.String(MaxCodeLength), 10, "Single-use codes, shown only now.", 10))], ["recovery_codes"]);
        schemas["TotpDisable"] = Schemas.Object(
            [("code", Code("A current code.")), ("recovery_code", Code("A recovery code.")), ("password", Schemas.String(limits.PasswordMaxLength, "password"))],
            [], "Exactly one of code, recovery_code or password.");
        schemas["TotpLogin"] = Schemas.Object(
            [("mfa_token", Schemas.String(256)), ("code", Code("A current code.")), ("recovery_code", Code("A recovery code."))],
            ["mfa_token"], "The token from `/auth/login` and exactly one of code or recovery_code.");
        schemas["ApiKeyCreate"] = Schemas.Object([("name", Schemas.String(100, minLength: 1, description: "What the key is for."))], ["name"]);
        var key = KeyMembers();
        schemas["ApiKey"] = Schemas.Object([.. key, ("last_used_at", Schemas.String(24, "date-time", nullable: true))], ["id", "name", "prefix", "created_at", "last_used_at"],
            "An API key, without the key itself.");
        schemas["NewApiKey"] = Schemas.Object([.. key, ("key", Schemas.String(46, description: "The key (`sb_…`); shown only in this answer."))],
            ["id", "name", "prefix", "created_at", "key"]);
        schemas["ApiKeyList"] = Schemas.Object([("items", Schemas.Array(Schemas.Ref("ApiKey", document), ApiKeyLimit))], ["items"]);
        schemas["Jwk"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A public JSON Web Key (RFC 7517).",
            Required = new HashSet<string> { "kty", "kid" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["kty"] = Schemas.Enum(["EC", "RSA"]),
                ["kid"] = Schemas.String(128),
                ["use"] = Schemas.Const("sig"),
                ["alg"] = Schemas.Enum(["ES256", "RS256"]),
                ["crv"] = Schemas.Const("P-256"),
                ["x"] = Schemas.String(128),
                ["y"] = Schemas.String(128),
                ["n"] = Schemas.String(2048),
                ["e"] = Schemas.String(16),
            },
            AdditionalPropertiesAllowed = false,
        };
        schemas["Jwks"] = Schemas.Object([("keys", Schemas.Array(Schemas.Ref("Jwk", document), 64))], ["keys"], "The public keys that verify access tokens (RFC 7517).");
        schemas["Health"] = Schemas.Object(
            [("status", Schemas.Enum(["live", "ready"])), ("database", Schemas.Const("ok")), ("redis", Schemas.Enum(["ok", "degraded"]))], ["status"]);
    }

    /// <summary>How many live API keys an account may have at once.</summary>
    public const int ApiKeyLimit = Auth.ApiKeyStore.MaxLiveKeys;

    private static OpenApiSchema Code(string description) => Schemas.String(MaxCodeLength, description: description);

    private static List<(string, IOpenApiSchema)> SessionMembers(DocumentLimits limits) =>
    [
        ("access_token", Schemas.String(MaxAccessTokenLength, description: "A JWT; send it as `Authorization: Bearer <token>`.")),
        ("token_type", Schemas.Const("Bearer")),
        ("expires_in", Schemas.Integer(1, limits.AccessTokenSeconds, "Seconds until the access token expires.")),
        ("refresh_token", Schemas.String(OpaqueTokenLength, description: "Opaque, single-use: exchange it at `/auth/refresh` for new tokens.")),
    ];

    private static List<(string, IOpenApiSchema)> KeyMembers() =>
    [
        ("id", Schemas.String(36, "uuid")),
        ("name", Schemas.String(100)),
        ("prefix", Schemas.String(10, description: "The first characters of the key, to recognise it.")),
        ("created_at", Schemas.String(24, "date-time")),
    ];
}
