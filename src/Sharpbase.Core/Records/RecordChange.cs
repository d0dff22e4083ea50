namespace Sharpbase.Records;

/// <summary>A committed write: which record of which collection, and how it changed.</summary>
public sealed record RecordChange(string Collection, string Id, BatchAction Action);
