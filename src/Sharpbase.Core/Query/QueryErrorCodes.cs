namespace Sharpbase.Query;

/// <summary>The stable codes of <see cref="QueryError"/>.</summary>
public static class QueryErrorCodes
{
    /// <summary>The text is not a well-formed expression.</summary>
    public const string Syntax = "syntax";
    /// <summary>The text is longer than <see cref="QueryLimits.MaxLength"/>.</summary>
    public const string TooLong = "too_long";
    /// <summary>Parentheses or <c>!</c> nest deeper than <see cref="QueryLimits.MaxDepth"/>.</summary>
    public const string TooDeep = "too_deep";
    /// <summary>More than <see cref="QueryLimits.MaxTerms"/> comparisons.</summary>
    public const string TooManyTerms = "too_many_terms";
    /// <summary>A path follows more than <see cref="QueryLimits.MaxHops"/> relations.</summary>
    public const string TooManyHops = "too_many_hops";
    /// <summary>No such field in the collection.</summary>
    public const string UnknownField = "unknown_field";
    /// <summary>No such variable (<c>@auth.*</c>, <c>@body.*</c> and <c>@now</c> exist).</summary>
    public const string UnknownVariable = "unknown_variable";
    /// <summary>A hidden field: it can be neither filtered nor sorted on.</summary>
    public const string FieldNotFilterable = "field_not_filterable";
    /// <summary>A path continues after a field that is not a relation.</summary>
    public const string NotARelation = "not_a_relation";
    /// <summary>The two sides of a comparison have incompatible types, or a literal is invalid for its field.</summary>
    public const string TypeMismatch = "type_mismatch";
    /// <summary>The operator does not apply to the operand's type (e.g. <c>&gt;</c> on a boolean, <c>~</c> on a number).</summary>
    public const string InvalidOperator = "invalid_operator";
    /// <summary>Both sides of a comparison follow relations, which is not supported.</summary>
    public const string Unsupported = "unsupported";
}
