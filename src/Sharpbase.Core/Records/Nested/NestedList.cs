namespace Sharpbase.Records.Nested;

/// <summary>
/// Related records as a list: the records a to-many relation <paramref name="Field"/> of this record
/// links to (each shown only if the view rule of their collection allows it), or, when
/// <see cref="Reverse"/>, the records of <paramref name="Source"/> whose relation <paramref name="Field"/>
/// points at this record (each shown only if the list rule of <paramref name="Source"/> allows it).
/// </summary>
/// <param name="Key">The response key.</param>
/// <param name="Source">The collection that declares <paramref name="Field"/>.</param>
/// <param name="Field">The relation field.</param>
/// <param name="Selection">What to read of each listed record.</param>
public sealed record NestedList(string Key, string Source, string Field, NestedSelection Selection) : NestedMember(Key)
{
    /// <summary>True for the records that point at this one.</summary>
    public bool Reverse { get; init; }

    /// <summary>A filter in the expression language, on the listed records.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys (<c>-published_at,title</c>); without them, a to-many relation keeps its stored order and a reverse list is sorted by id.</summary>
    public string? Sort { get; init; }

    /// <summary>Most records listed (already bounded by the transport).</summary>
    public int Limit { get; init; } = 20;
}
