namespace Sharpbase.Records.Nested;

/// <summary>The JSON of a nested read (UTF-8; empty for a record that is not found), or what was refused.</summary>
public sealed record NestedResult(ReadOnlyMemory<byte> Json, ListError? Error)
{
    /// <summary>True when a single record was asked for and none is visible.</summary>
    public bool IsEmpty => Error is null && Json.IsEmpty;
}
