namespace Sharpbase.Records;

/// <summary>The outcome of a record operation, which each transport maps to its own codes.</summary>
public enum RecordStatus
{
    /// <summary>Read, updated or listed.</summary>
    Ok,
    /// <summary>Created.</summary>
    Created,
    /// <summary>Deleted.</summary>
    Deleted,
    /// <summary>The ETag given in If-None-Match is current.</summary>
    NotModified,
    /// <summary>No such record (or the caller may not see it).</summary>
    NotFound,
    /// <summary>The body failed validation; <see cref="RecordResult.Errors"/> says why.</summary>
    Invalid,
    /// <summary>A unique value is taken, or the record is still referenced.</summary>
    Conflict,
    /// <summary>The write's If-Match or If-None-Match does not hold for the current version.</summary>
    PreconditionFailed,
    /// <summary>The caller may not perform the action.</summary>
    Forbidden,
    /// <summary>A query parameter (fields, expand) is wrong; <see cref="RecordResult.Detail"/> and <see cref="RecordResult.Code"/> say how.</summary>
    BadParameter,
}
