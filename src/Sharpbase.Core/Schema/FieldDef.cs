namespace Sharpbase.Schema;

/// <summary>A declared field of a collection.</summary>
public sealed record FieldDef(string Name, FieldType Type)
{
    /// <summary>The value must be present (and not null) on create.</summary>
    public bool Required { get; init; }

    /// <summary>No two records may hold the same value.</summary>
    public bool Unique { get; init; }

    /// <summary>An index is created on the column.</summary>
    public bool Index { get; init; }

    /// <summary>Never returned, never filterable or sortable.</summary>
    public bool Hidden { get; init; }

    /// <summary>Only a superuser or a default may set it.</summary>
    public bool Readonly { get; init; }

    /// <summary>The default applied on create when the body omits the field.</summary>
    public FieldDefault? Default { get; init; }

    /// <summary>Lower bound: the value for numbers, the length in characters for text-like fields.</summary>
    public double? Min { get; init; }

    /// <summary>Upper bound: the value for numbers, the length in characters for text-like fields.</summary>
    public double? Max { get; init; }

    /// <summary>Lower bound for <c>datetime</c> and <c>date</c> fields, in UTC.</summary>
    public DateTime? MinDate { get; init; }

    /// <summary>Upper bound for <c>datetime</c> and <c>date</c> fields, in UTC.</summary>
    public DateTime? MaxDate { get; init; }

    /// <summary>A regular expression text values must match (evaluated with a timeout).</summary>
    public string? Pattern { get; init; }

    /// <summary>The allowed values of a <c>select</c> field.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>The target collection of a <c>relation</c> field.</summary>
    public string? Target { get; init; }

    /// <summary>A relation to many records, stored in a junction table.</summary>
    public bool Multiple { get; init; }

    /// <summary>The 1-based line of the field in the schema file, for messages.</summary>
    public int Line { get; init; }

    /// <summary>True for a to-many relation, which has no column of its own.</summary>
    public bool IsMultipleRelation => Type == FieldType.Relation && Multiple;
}
