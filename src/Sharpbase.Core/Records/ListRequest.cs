namespace Sharpbase.Records;

/// <summary>The parameters of a list, as text from the transport; the engine validates each.</summary>
/// <param name="Limit">Page size, already bounded by the transport.</param>
public sealed record ListRequest(int Limit)
{
    /// <summary>Rows to skip (bounded by the transport).</summary>
    public int Offset { get; init; }

    /// <summary>The cursor of the previous page (<c>next_cursor</c>).</summary>
    public string? After { get; init; }

    /// <summary>A filter in the expression language.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys, e.g. <c>-published_at,title</c>.</summary>
    public string? Sort { get; init; }

    /// <summary>The fields to return, e.g. <c>id,title</c>; all visible fields when null.</summary>
    public string? Fields { get; init; }

    /// <summary>Relations to expand, e.g. <c>author,tags,author.org</c>.</summary>
    public string? Expand { get; init; }

    /// <summary>Also count every matching record (a separate query).</summary>
    public bool Count { get; init; }
}
