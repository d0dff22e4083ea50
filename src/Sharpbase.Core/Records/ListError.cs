namespace Sharpbase.Records;

/// <summary>A list parameter the engine refused: which one, a stable code, and why.</summary>
public sealed record ListError(string Parameter, string Code, string Message);
