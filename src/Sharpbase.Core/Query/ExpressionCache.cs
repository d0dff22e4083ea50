using System.Diagnostics.CodeAnalysis;
using Sharpbase.Caching;
using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>
/// A bounded, thread-safe, least-recently-used cache of parse+bind results (successes and errors)
/// keyed by collection name and text, so a repeated filter or rule is parsed once. An entry bound
/// against another <see cref="AppSchema"/> instance counts as a miss.
/// </summary>
public sealed class ExpressionCache
{
    /// <summary>The default number of entries kept.</summary>
    public const int DefaultMaxEntries = 1024;

    private readonly LruCache<(string Collection, string Text), Entry> _entries;

    /// <summary>Creates a cache of at most <paramref name="maxEntries"/> entries (default <see cref="DefaultMaxEntries"/>).</summary>
    public ExpressionCache(int maxEntries = DefaultMaxEntries) => _entries = new(maxEntries);

    /// <summary>The number of entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>Parses and binds <paramref name="text"/> for <paramref name="collection"/>, or returns the cached result.</summary>
    public bool TryGet(string text, CollectionDef collection, AppSchema schema, [NotNullWhen(true)] out BoundExpr? bound, [NotNullWhen(false)] out QueryError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(schema);
        var key = (collection.Name, text);
        if (!_entries.TryGet(key, out var entry) || !ReferenceEquals(entry.Schema, schema))
        {
            ExpressionBinder.TryParseAndBind(text, collection, schema, out var newBound, out var newError);
            entry = new Entry(schema, newBound, newError);
            _entries.Set(key, entry);
        }
        return Result(entry, out bound, out error);
    }

    private static bool Result(Entry entry, [NotNullWhen(true)] out BoundExpr? bound, [NotNullWhen(false)] out QueryError? error)
    {
        bound = entry.Bound;
        error = entry.Error;
        return bound is not null;
    }

    private sealed record Entry(AppSchema Schema, BoundExpr? Bound, QueryError? Error);
}
