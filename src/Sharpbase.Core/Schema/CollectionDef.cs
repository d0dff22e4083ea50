namespace Sharpbase.Schema;

/// <summary>A declared collection: one table, plus a junction table per multiple relation.</summary>
public sealed record CollectionDef(string Name, IReadOnlyList<FieldDef> Fields)
{
    /// <summary>The auth collection (users) with built-in account fields.</summary>
    public bool Auth { get; init; }

    /// <summary>Composite indexes, each a list of field names.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Indexes { get; init; } = [];

    /// <summary>Access rules per action.</summary>
    public RuleSet Rules { get; init; } = new();

    /// <summary>Server-side cache time-to-live, when caching is on for this collection.</summary>
    public TimeSpan? CacheTtl { get; init; }

    /// <summary>The 1-based line of the collection in the schema file.</summary>
    public int Line { get; init; }

    /// <summary>The 1-based line of each rule in the schema file, by action (<c>view</c>, …); a rule's error names its own line.</summary>
    public IReadOnlyDictionary<string, int> RuleLines { get; init; } = RulesReader.NoLines;

    /// <summary>Finds a declared field by name.</summary>
    public FieldDef? FindField(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }
        return null;
    }
}
