namespace Sharpbase.Query;

/// <summary>
/// A type-checked comparison, normalised: a field is always on the left (with the operator mirrored
/// when the sides were swapped), <c>null</c> and list variables always on the right, and
/// <see cref="ComparisonOperator.AnyEqual"/> only remains when the right side is a list variable.
/// </summary>
public sealed record BoundComparison(BoundOperand Left, ComparisonOperator Operator, BoundOperand Right) : BoundExpr;
