namespace Sharpbase.Query;

/// <summary>A list literal, <c>["a", "b"]</c>; only allowed after <c>in</c>.</summary>
public sealed record ListOperand(TextPosition Position, IReadOnlyList<LiteralOperand> Items) : Operand(Position);
