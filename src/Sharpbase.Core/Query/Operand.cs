namespace Sharpbase.Query;

/// <summary>One side of a comparison.</summary>
public abstract record Operand(TextPosition Position);
