using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sharpbase.Errors;

namespace Sharpbase.OpenApi;

/// <summary>
/// What every part of the document shares: the security schemes, the response headers (rate limits,
/// ETag, CORS), the RFC 9457 problem schema and one reusable response per problem status.
/// </summary>
internal static class SharedComponents
{
    public const string AccessToken = "accessToken";
    public const string ApiKey = "apiKey";
    public const string ProblemMediaType = Problem.ContentType;

    /// <summary>The problem responses by status, each a component named after its status.</summary>
    public static readonly IReadOnlyDictionary<int, (string Name, string Description)> ProblemResponses = new Dictionary<int, (string, string)>
    {
        [400] = ("BadRequest", "The request is malformed: an unknown or repeated query parameter, a bad filter, sort or cursor, malformed JSON (with its position)."),
        [401] = ("Unauthorized", "Credentials are missing, invalid, expired or revoked (or wrong email or password). Never a silent downgrade to anonymous."),
        [403] = ("Forbidden", "The caller may not do this: the collection's rule for the action is absent (superusers only) or refuses the record."),
        [404] = ("NotFound", "No such record, or one the caller may not view (the answer is the same, so existence does not leak)."),
        [409] = ("Conflict", "A unique value is taken, the record is still referenced, or a request with the same Idempotency-Key is still running."),
        [412] = ("PreconditionFailed", "The record does not meet If-Match (it has changed since the ETag given) or If-None-Match (it is at a version given, or it exists and `*` was given)."),
        [413] = ("PayloadTooLarge", "The body is larger than allowed."),
        [415] = ("UnsupportedMediaType", "The body is not JSON (send Content-Type: application/json, UTF-8)."),
        [422] = ("ValidationFailed", "The body is not valid: `errors` lists every field's problems at once. Also an Idempotency-Key reused with another body."),
        [429] = ("TooManyRequests", "A rate-limit policy (or the sign-in throttle) refused the request; retry after `Retry-After` seconds."),
        [500] = ("InternalError", "A fault on the server; the answer carries only the trace_id, which the server log records."),
        [503] = ("Unavailable", "The database is unavailable, the server is shutting down, or the request took too long; retry after `Retry-After` seconds."),
    };

    public static void Add(OpenApiDocument document, DocumentLimits limits)
    {
        var components = document.Components!;
        components.SecuritySchemes![AccessToken] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from `POST /auth/login` (or `/auth/refresh`), sent as `Authorization: Bearer <token>`. "
                + $"JWT signed ES256 by default, valid {limits.AccessTokenSeconds} s, validated as RFC8725 recommends (pinned algorithms, typ at+jwt, iss, aud, exp with at most 60 s skew, "
                + "no jku/x5u/jwk headers). Never accepted in the query string.",
        };
        components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "sb_ API key",
            Description = "An API key from `POST /auth/api-keys` (`sb_` followed by 43 characters), sent as `Authorization: Bearer sb_…`. "
                + "It acts as the account that made it and cannot manage keys or the second factor.",
        };
        AddHeaders(components);
        components.Schemas!["Problem"] = ProblemSchema(limits);
        foreach (var (status, (name, description)) in ProblemResponses)
        {
            components.Responses![name] = ProblemResponse(document, status, description);
        }
    }

    /// <summary>The headers every counted response may carry: rate limits and CORS.</summary>
    public static Dictionary<string, IOpenApiHeader> CommonHeaders(OpenApiDocument document) => new(StringComparer.Ordinal)
    {
        ["RateLimit"] = new OpenApiHeaderReference("RateLimit", document),
        ["RateLimit-Policy"] = new OpenApiHeaderReference("RateLimit-Policy", document),
        ["Access-Control-Allow-Origin"] = new OpenApiHeaderReference("Access-Control-Allow-Origin", document),
    };

    /// <summary>A reference to the problem response of a status.</summary>
    public static IOpenApiResponse ProblemRef(OpenApiDocument document, int status) => new OpenApiResponseReference(ProblemResponses[status].Name, document);

    private static OpenApiResponse ProblemResponse(OpenApiDocument document, int status, string description)
    {
        var headers = CommonHeaders(document);
        switch (status)
        {
            case 401:
                headers["WWW-Authenticate"] = new OpenApiHeaderReference("WWW-Authenticate", document);
                break;
            case 429:
            case 503:
                headers["Retry-After"] = new OpenApiHeaderReference("Retry-After", document);
                break;
        }
        return new OpenApiResponse
        {
            Description = description,
            Headers = headers,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new() { Schema = Schemas.Ref("Problem", document), Example = ProblemExample(status) },
            },
        };
    }

    private static JsonObject ProblemExample(int status)
    {
        var (code, detail) = status switch
        {
            400 => (ProblemCodes.BadRequest, "unknown query parameter 'sortby'; supported: after, count, expand, fields, filter, limit, offset, sort"),
            401 => (ProblemCodes.Unauthorized, "the access token is invalid, expired or revoked"),
            403 => (ProblemCodes.Forbidden, "only superusers may create tags"),
            404 => (ProblemCodes.NotFound, "there is no record '0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80' in posts"),
            409 => (ProblemCodes.Conflict, "the value of name is taken"),
            412 => (ProblemCodes.PreconditionFailed, Problem.PreconditionFailedDetail),
            413 => (ProblemCodes.BodyTooLarge, "the request body is larger than 1048576 bytes"),
            415 => (ProblemCodes.UnsupportedMediaType, "the request body must be JSON: send Content-Type: application/json"),
            422 => (ProblemCodes.ValidationFailed, "the record is not valid; see errors for each field"),
            429 => (ProblemCodes.RateLimited, "too many requests; retry after the time in Retry-After"),
            500 => (ProblemCodes.InternalError, "the server failed to handle the request; report the trace_id to the operator"),
            _ => (ProblemCodes.Unavailable, "the database is unavailable; retry shortly"),
        };
        var example = new JsonObject
        {
            ["type"] = ProblemCodes.TypeUri(code),
            ["title"] = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = "/api/posts",
            ["code"] = code,
            ["trace_id"] = "4bf92f3577b34da6a3ce929d0e0e4736",
        };
        if (status == 422)
        {
            example["errors"] = new JsonObject { ["title"] = new JsonArray("is required") };
        }
        return example;
    }

    private static OpenApiSchema ProblemSchema(DocumentLimits limits)
    {
        var messages = Schemas.Array(Schemas.String(1024), 16);
        var errors = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Messages by field (validation), e.g. `{\"title\": [\"is required\"]}`.",
            AdditionalProperties = messages,
            MaxProperties = 256,
        };
        return Schemas.Object(
            [
                ("type", Schemas.String(256, "uri", description: "The problem type: `urn:sharpbase:problem:<code>`, or IANA's quota-exceeded type for rate limits.")),
                ("title", Schemas.String(128, description: "The status's reason phrase.")),
                ("status", Schemas.Integer(400, 599, "The HTTP status.")),
                ("detail", Schemas.String(8192, description: "What went wrong, for a person.")),
                ("instance", Schemas.String(8192, description: "The request path.")),
                ("code", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64, Pattern = "^[a-z_]+$", Description = "A stable machine-readable code, e.g. `validation_failed`, `rate_limited`, `precondition_failed`." }),
                ("trace_id", Schemas.String(64, description: "The W3C trace id of the request; the server log has the details under it.")),
                ("index", Schemas.Integer(0, limits.MaxBatchSize - 1, "The failing request of a batch.")),
                ("errors", errors),
            ],
            ["type", "title", "status", "detail", "instance", "code", "trace_id"],
            "An RFC 9457 problem (application/problem+json). Every error of every route has this shape.");
    }

    private static void AddHeaders(OpenApiComponents components)
    {
        var headers = components.Headers!;
        headers["RateLimit"] = Header("The remaining quota of each rate-limit policy that counted the request (draft-ietf-httpapi-ratelimit-headers), e.g. `\"auth\";r=3;t=42`.",
            Schemas.String(1024));
        headers["RateLimit-Policy"] = Header("The policies that counted the request, e.g. `\"auth\";q=10;w=60`.", Schemas.String(1024));
        headers["Access-Control-Allow-Origin"] = Header("Present when the request's Origin is one of the configured CORS origins.", Schemas.String(2048));
        headers["Retry-After"] = Header("Seconds to wait before retrying.", Schemas.Integer(0, 86_400));
        headers["WWW-Authenticate"] = Header("The Bearer challenge, e.g. `Bearer error=\"invalid_token\"`.", Schemas.String(256));
        headers["ETag"] = Header("A record's version as a strong tag (`\"3\"`), or a list's weak tag (`W/\"l…\"`). Send it back in If-Match or If-None-Match.",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64, Pattern = "^(W/)?\"[0-9a-z]+\"$" }, required: true);
        headers["Location"] = Header("The path of the new record.", Schemas.String(2048, "uri-reference"), required: true);
        headers["Idempotent-Replayed"] = Header("`true` when this is the stored answer to an earlier request with the same Idempotency-Key.", Schemas.Const("true"));
        headers["Cache-Control"] = Header("`private, no-cache` on answers with user data; `no-store` on answers with secrets and on problems.", Schemas.String(128), required: true);
    }

    private static OpenApiHeader Header(string description, IOpenApiSchema schema, bool required = false) =>
        new() { Description = description, Schema = schema, Required = required };
}
