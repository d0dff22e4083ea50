namespace Sharpbase.Query;

/// <summary>A literal: a <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or null.</summary>
public sealed record LiteralOperand(TextPosition Position, object? Value) : Operand(Position);
