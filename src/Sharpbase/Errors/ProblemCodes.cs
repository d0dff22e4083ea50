namespace Sharpbase.Errors;

/// <summary>Stable machine-readable problem codes (the <c>code</c> member of every problem).</summary>
public static class ProblemCodes
{
    /// <summary>400: the request is malformed.</summary>
    public const string BadRequest = "bad_request";
    /// <summary>400: the body is not valid JSON.</summary>
    public const string MalformedJson = "malformed_json";
    /// <summary>401: missing, invalid, expired or revoked credentials.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>401: wrong email or password (the same answer for unknown accounts).</summary>
    public const string InvalidCredentials = "invalid_credentials";
    /// <summary>429: too many attempts; retry after the given time.</summary>
    public const string TooManyAttempts = "too_many_attempts";
    /// <summary>429: a rate-limit policy is exhausted; retry after the given time. Its type is the IANA quota-exceeded type.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>403: the caller may not do this.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>404: no such collection, record or route.</summary>
    public const string NotFound = "not_found";
    /// <summary>405: the route does not take this method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>409: a unique value is taken or a record is still referenced.</summary>
    public const string Conflict = "conflict";
    /// <summary>409: a request with the same Idempotency-Key is still running.</summary>
    public const string IdempotencyInProgress = Records.IdempotencyEntry.InProgressCode;
    /// <summary>412: If-Match does not match the current version.</summary>
    public const string PreconditionFailed = "precondition_failed";
    /// <summary>413: the body is larger than allowed.</summary>
    public const string BodyTooLarge = "body_too_large";
    /// <summary>415: the body is not JSON.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>422: the body failed validation.</summary>
    public const string ValidationFailed = "validation_failed";
    /// <summary>422: an Idempotency-Key was reused with a different request.</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    /// <summary>500: a fault on the server; details are in its log under the trace id.</summary>
    public const string InternalError = "internal_error";
    /// <summary>503: the request took longer than the request timeout.</summary>
    public const string RequestTimeout = "request_timeout";
    /// <summary>503: the database is unavailable; retry later.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The <c>type</c> URI of a code.</summary>
    public static string TypeUri(string code) => code == RateLimited
        ? QuotaExceededType
        : "urn:sharpbase:problem:" + code.Replace('_', '-');

    /// <summary>The registered problem type of <see cref="RateLimited"/> (draft-ietf-httpapi-ratelimit-headers).</summary>
    public const string QuotaExceededType = "https://iana.org/assignments/http-problem-types#quota-exceeded";
}
