using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Sharpbase.Records;

namespace Sharpbase.Errors;

/// <summary>
/// An RFC 9457 problem response: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
/// <c>instance</c>, <c>code</c>, <c>trace_id</c>, and <c>errors</c> by field for validation.
/// </summary>
public sealed class Problem(int status, string code, string detail) : IResult
{
    /// <summary>The media type of problem responses.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>The detail of a 412: a write whose If-Match or If-None-Match does not hold.</summary>
    internal const string PreconditionFailedDetail =
        "the record does not meet If-Match or If-None-Match (it has changed since the ETag given, or it is at a version If-None-Match names); fetch it again and retry";

    // Problems are read by people: quotes and non-ASCII letters stay as they are (the media type is JSON, with nosniff).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The stable code.</summary>
    public string Code { get; } = code;

    /// <summary>What went wrong, for a human.</summary>
    public string Detail { get; } = detail;

    /// <summary>Messages by field.</summary>
    public IReadOnlyDictionary<string, List<string>>? Errors { get; init; }

    /// <summary>The index of the failing operation of a batch.</summary>
    public int? Index { get; init; }

    /// <summary>Seconds after which a retry may succeed (sets <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Extra headers, e.g. <c>Allow</c> on 405.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Headers is not null)
        {
            foreach (var (name, value) in Headers)
            {
                response.Headers[name] = value;
            }
        }
        await using var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", ProblemCodes.TypeUri(Code));
        writer.WriteString("title", ReasonPhrases.GetReasonPhrase(Status));
        writer.WriteNumber("status", Status);
        writer.WriteString("detail", Detail);
        writer.WriteString("instance", httpContext.Request.Path.Value);
        writer.WriteString("code", Code);
        writer.WriteString("trace_id", TraceId(httpContext));
        if (Index is { } index)
        {
            writer.WriteNumber("index", index);
        }
        if (Errors is not null)
        {
            writer.WriteStartObject("errors");
            foreach (var (field, messages) in Errors)
            {
                writer.WriteStartArray(field);
                foreach (var message in messages)
                {
                    writer.WriteStringValue(message);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>The W3C trace id of the request: its span's, the caller's <c>traceparent</c>, or a new one.</summary>
    public static string TraceId(HttpContext httpContext) => Observability.RequestTrace.Id(httpContext);

    /// <summary>400 with a message.</summary>
    public static Problem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, detail);

    /// <summary>404 for a record or collection.</summary>
    public static Problem NotFound(string detail) => new(StatusCodes.Status404NotFound, ProblemCodes.NotFound, detail);

    /// <summary>409 for an Idempotency-Key whose first request has not finished (on this node, another, or in the database), with Retry-After.</summary>
    public static Problem IdempotencyInProgress() => new(StatusCodes.Status409Conflict, ProblemCodes.IdempotencyInProgress, Records.IdempotencyEntry.InProgressDetail)
    {
        RetryAfterSeconds = 1,
    };

    /// <summary>
    /// A validation failure: the fields' messages in <c>errors</c>, and what is wrong with the body as
    /// a whole in the detail (in <c>errors</c> it could not be told from a field's).
    /// </summary>
    private static Problem Invalid(FieldErrors? errors)
    {
        var fields = errors is { ByField.Count: > 0 } ? errors.ByField : null;
        var detail = errors?.Body is not { } body ? "the record is not valid; see errors for each field"
            : fields is null ? "the record is not valid: " + body
            : "the record is not valid: " + body + "; see errors for each field";
        return new Problem(StatusCodes.Status422UnprocessableEntity, ProblemCodes.ValidationFailed, detail) { Errors = fields };
    }

    /// <summary>Maps a failed record result to its problem.</summary>
    public static Problem FromRecord(RecordResult result, string notFoundDetail)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            RecordStatus.NotFound => NotFound(notFoundDetail),
            RecordStatus.Invalid => Invalid(result.Errors),
            RecordStatus.Conflict when result.Code == ProblemCodes.IdempotencyInProgress => IdempotencyInProgress(),
            RecordStatus.Conflict => new Problem(StatusCodes.Status409Conflict, ProblemCodes.Conflict, result.Detail ?? "the request conflicts with the current state")
            {
                Errors = result.Errors?.ByField,
            },
            RecordStatus.PreconditionFailed => new Problem(StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed, PreconditionFailedDetail),
            RecordStatus.Forbidden => new Problem(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, result.Detail ?? "you may not do this"),
            RecordStatus.BadParameter => new Problem(StatusCodes.Status400BadRequest, result.Code ?? ProblemCodes.BadRequest, result.Detail ?? "a query parameter is not valid"),
            _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "not a failure"),
        };
    }
}
