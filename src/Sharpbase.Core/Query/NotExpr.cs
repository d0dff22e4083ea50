namespace Sharpbase.Query;

/// <summary><c>!operand</c>.</summary>
public sealed record NotExpr(TextPosition Position, Expr Operand) : Expr(Position);
