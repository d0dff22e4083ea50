namespace Sharpbase.Storage;

/// <summary>A classified database error: its kind, and the field it concerns when known.</summary>
public sealed record StorageFailure(StorageFailureKind Kind, string? Field = null);
