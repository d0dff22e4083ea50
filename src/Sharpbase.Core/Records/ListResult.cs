namespace Sharpbase.Records;

/// <summary>A page as UTF-8 JSON, or the parameter that was refused.</summary>
public sealed record ListResult(ReadOnlyMemory<byte> Json, ListError? Error);
