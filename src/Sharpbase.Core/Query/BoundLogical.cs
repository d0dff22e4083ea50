namespace Sharpbase.Query;

/// <summary>Two or more bound operands joined by one operator.</summary>
public sealed record BoundLogical(LogicalOperator Operator, IReadOnlyList<BoundExpr> Operands) : BoundExpr;
