namespace Sharpbase.Query;

/// <summary>The negation of a bound expression.</summary>
public sealed record BoundNot(BoundExpr Operand) : BoundExpr;
