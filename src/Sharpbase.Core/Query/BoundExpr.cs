namespace Sharpbase.Query;

/// <summary>
/// An expression checked against a schema: every path resolved to fields and relation hops, every
/// literal valid for what it is compared with. Variables stay symbolic until compilation.
/// </summary>
public abstract record BoundExpr;
