using System.Diagnostics;

namespace Sharpbase.Observability;

/// <summary>
/// Spans of the HTTP features (cache, rate limits, auth, mail) on the <c>Sharpbase</c> ActivitySource.
/// With nobody listening <see cref="Start"/> returns null and nothing else runs; tags are set only
/// when the span records data. Tags are low-cardinality: names and outcomes, never an address, a
/// token, a password or an id.
/// </summary>
internal static class Spans
{
    /// <summary>OpenTelemetry's <c>error.type</c>: a class of failure, never a message.</summary>
    public const string ErrorType = "error.type";

    public const string Collection = "sharpbase.collection";
    public const string CacheKind = "sharpbase.cache.kind";
    public const string CacheResult = "sharpbase.cache.result";
    public const string RateLimitPolicy = "sharpbase.rate_limit.policy";
    public const string RateLimitResult = "sharpbase.rate_limit.result";
    public const string RateLimitStore = "sharpbase.rate_limit.store";
    public const string AuthAccountKind = "sharpbase.auth.account_kind";
    public const string AuthCredential = "sharpbase.auth.credential";
    public const string AuthResult = "sharpbase.auth.result";
    public const string MailKind = "sharpbase.mail.kind";
    public const string MailTransport = "sharpbase.mail.transport";
    public const string MailOutcome = "sharpbase.mail.outcome";

    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => SharpbaseTelemetry.Source.StartActivity(name, kind);

    public static void Tag(Activity? span, string key, string value)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(key, value);
        }
    }

    /// <summary>Marks the span failed, with <paramref name="errorType"/> as its <c>error.type</c>.</summary>
    public static void Failed(Activity? span, string errorType)
    {
        if (span is null)
        {
            return;
        }
        span.SetStatus(ActivityStatusCode.Error);
        Tag(span, ErrorType, errorType);
    }
}
