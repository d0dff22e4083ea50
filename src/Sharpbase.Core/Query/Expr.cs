namespace Sharpbase.Query;

/// <summary>A node of a parsed expression: immutable, positioned, not yet checked against a schema.</summary>
public abstract record Expr(TextPosition Position);
