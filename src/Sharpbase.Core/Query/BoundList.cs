namespace Sharpbase.Query;

/// <summary>A list literal after <c>in</c>, its values in stored form; never contains null.</summary>
public sealed record BoundList(IReadOnlyList<object> Values) : BoundOperand;
