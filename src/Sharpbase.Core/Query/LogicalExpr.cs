namespace Sharpbase.Query;

/// <summary>Two or more operands joined by one operator: <c>a &amp;&amp; b &amp;&amp; c</c>.</summary>
public sealed record LogicalExpr(TextPosition Position, LogicalOperator Operator, IReadOnlyList<Expr> Operands) : Expr(Position);
