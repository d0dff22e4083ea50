namespace Sharpbase.Query;

/// <summary>The operator of a logical expression.</summary>
public enum LogicalOperator
{
    /// <summary><c>&amp;&amp;</c></summary>
    And,
    /// <summary><c>||</c></summary>
    Or,
}
