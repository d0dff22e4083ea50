using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Sharpbase.Observability;

/// <summary>
/// What traces, metrics and statistics say about one statement text, worked out once per text:
/// its operation (SELECT, INSERT, …) and the first table it names. Values are always parameters,
/// so the text is the statement's shape and never holds a value.
/// </summary>
public sealed class StatementShape : IEquatable<StatementShape>
{
    // Texts are generated from the schema, so they are few; past the bound a text is described afresh each time.
    private const int MaxCached = 4_000;

    private static readonly ConcurrentDictionary<string, StatementShape> Cache = new(StringComparer.Ordinal);

    // The shapes of recent texts, by the texts' identity: statements come from caches that hand out the
    // same string each time, and hashing its few hundred characters for the lookup above cost a
    // thousand instructions per statement. A slot holds the text it was found for, so a hit is exact.
    private static readonly Recent?[] RecentShapes = new Recent?[64];

    private readonly int _hash;

    private StatementShape(string text)
    {
        Text = text;
        _hash = StringComparer.Ordinal.GetHashCode(text);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        Operation = space > 0 ? text[..space] : text;
        Table = TableOf(text);
    }

    /// <summary>The statement's text.</summary>
    public string Text { get; }

    /// <summary>The first word of the statement (<c>db.operation.name</c>).</summary>
    public string Operation { get; }

    /// <summary>The first table the statement names after FROM, INTO or UPDATE (<c>db.collection.name</c>); null when it names none.</summary>
    public string? Table { get; }

    /// <summary>The shape of <paramref name="text"/>, from the cache when it was seen before.</summary>
    public static StatementShape Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slot = RuntimeHelpers.GetHashCode(text) & (RecentShapes.Length - 1);
        if (RecentShapes[slot] is { } recent && ReferenceEquals(recent.Text, text))
        {
            return recent.Shape;
        }
        if (!Cache.TryGetValue(text, out var shape))
        {
            shape = new StatementShape(text);
            shape = Cache.Count < MaxCached ? Cache.GetOrAdd(text, shape) : shape;
        }
        RecentShapes[slot] = new Recent(text, shape);
        return shape;
    }

    private sealed record Recent(string Text, StatementShape Shape);

    /// <inheritdoc />
    public bool Equals(StatementShape? other) => ReferenceEquals(this, other) || other is not null && _hash == other._hash && Text == other.Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StatementShape);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>
    /// The table the statement is about: the first name after FROM, INTO or UPDATE at the shallowest
    /// depth of parentheses (so a subquery in the select list doesn't count, and a statement that
    /// wraps its query names the table of that query). A name from the schema or one of Sharpbase's
    /// own tables, never a value, so the tag stays low-cardinality.
    /// </summary>
    internal static string? TableOf(string text)
    {
        string? table = null;
        var tableDepth = int.MaxValue;
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    continue;
                case ')':
                    depth--;
                    continue;
                case '\'':
                    i = text.IndexOf('\'', i + 1) is var close and >= 0 ? close : text.Length;
                    continue;
            }
            if (depth < tableDepth && Keyword(text, i, out var after) && NameAt(text, after) is { } name)
            {
                table = name;
                tableDepth = depth;
            }
        }
        return table;
    }

    private static bool Keyword(string text, int at, out int after)
    {
        after = 0;
        if (at > 0 && text[at - 1] != ' ' && text[at - 1] != ')')
        {
            return false;
        }
        foreach (var keyword in (ReadOnlySpan<string>)["FROM ", "INTO ", "UPDATE "])
        {
            if (string.CompareOrdinal(text, at, keyword, 0, keyword.Length) == 0)
            {
                after = at + keyword.Length;
                return true;
            }
        }
        return false;
    }

    private static string? NameAt(string text, int at)
    {
        var start = at < text.Length && text[at] == '"' ? at + 1 : at;
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterLower(text[end]) || char.IsAsciiDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }
        return end > start ? text[start..end] : null;
    }
}
