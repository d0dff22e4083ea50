namespace Sharpbase.Query;

/// <summary>The operator of a comparison.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>!=</c></summary>
    NotEqual,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,
    /// <summary><c>~</c>: contains, case-insensitive.</summary>
    Contains,
    /// <summary><c>!~</c>: does not contain, case-insensitive.</summary>
    NotContains,
    /// <summary><c>in</c>: equals one of a list.</summary>
    In,
    /// <summary><c>?=</c>: any element of a list equals.</summary>
    AnyEqual,
}
