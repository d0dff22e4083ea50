namespace Sharpbase.Query;

/// <summary>Bounds on an expression, so hostile input costs little to refuse.</summary>
public static class QueryLimits
{
    /// <summary>The longest accepted text, in characters.</summary>
    public const int MaxLength = 4096;
    /// <summary>The deepest nesting of parentheses and <c>!</c>.</summary>
    public const int MaxDepth = 32;
    /// <summary>The most comparisons (and constants) in one expression.</summary>
    public const int MaxTerms = 64;
    /// <summary>The most relations a field path may follow (<c>a.b.c.d</c> follows three).</summary>
    public const int MaxHops = 3;
}
