namespace Sharpbase.Query;

/// <summary>One side of a bound comparison.</summary>
public abstract record BoundOperand;
