namespace Sharpbase.Records;

/// <summary>
/// The result of a record operation: its status, the record as UTF-8 JSON when there is one, its
/// version (the ETag), and per-field errors or a conflict message when it failed.
/// </summary>
public sealed record RecordResult(RecordStatus Status)
{
    /// <summary>The record's JSON (UTF-8), for reads and successful writes.</summary>
    public ReadOnlyMemory<byte> Json { get; init; }

    /// <summary>The record id.</summary>
    public string? Id { get; init; }

    /// <summary>The record's version after the operation.</summary>
    public long Version { get; init; }

    /// <summary>Validation errors by field.</summary>
    public FieldErrors? Errors { get; init; }

    /// <summary>A human-readable explanation of a conflict or refusal.</summary>
    public string? Detail { get; init; }

    /// <summary>A stable code for <see cref="RecordStatus.BadParameter"/> (e.g. <c>unknown_field</c>).</summary>
    public string? Code { get; init; }

    /// <summary>True for the statuses that changed or returned data.</summary>
    public bool Succeeded => Status is RecordStatus.Ok or RecordStatus.Created or RecordStatus.Deleted or RecordStatus.NotModified;

    internal static readonly RecordResult NotFound = new(RecordStatus.NotFound);

    internal static RecordResult Invalid(FieldErrors errors) => new(RecordStatus.Invalid) { Errors = errors };

    internal static RecordResult Conflict(string detail, FieldErrors? errors = null) => new(RecordStatus.Conflict) { Detail = detail, Errors = errors };
}
