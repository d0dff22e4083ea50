namespace Sharpbase.Query;

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record BoundConstant(bool Value) : BoundExpr;
