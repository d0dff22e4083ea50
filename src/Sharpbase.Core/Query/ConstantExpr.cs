namespace Sharpbase.Query;

/// <summary>A bare <c>true</c> or <c>false</c>, as in the rule <c>"true"</c>.</summary>
public sealed record ConstantExpr(TextPosition Position, bool Value) : Expr(Position);
