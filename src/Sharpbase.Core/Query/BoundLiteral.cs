namespace Sharpbase.Query;

/// <summary>A literal, already in stored form (dates and instants normalised to the stored text).</summary>
public sealed record BoundLiteral(object? Value) : BoundOperand;
