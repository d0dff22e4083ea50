namespace Sharpbase.Query;

/// <summary><c>left operator right</c>, e.g. <c>views &gt; 10</c>.</summary>
public sealed record ComparisonExpr(TextPosition Position, Operand Left, ComparisonOperator Operator, Operand Right) : Expr(Position);
