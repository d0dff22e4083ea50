namespace Sharpbase.Records.Nested;

/// <summary>
/// A page of a collection read with a nested selection: the same filter, sort and signed cursor
/// as a REST list, answered with <c>{"items": [...], "next_cursor": …, "total": …}</c>.
/// </summary>
/// <param name="Limit">Page size, already bounded by the transport.</param>
/// <param name="Items">What to read of each record (an empty selection when only the cursor or count is wanted).</param>
public sealed record NestedPage(int Limit, NestedSelection Items)
{
    /// <summary>The cursor of the previous page (<c>next_cursor</c>).</summary>
    public string? After { get; init; }

    /// <summary>A filter in the expression language.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys, e.g. <c>-published_at,title</c>.</summary>
    public string? Sort { get; init; }

    /// <summary>Also count every matching record (in the same statement).</summary>
    public bool Count { get; init; }
}
