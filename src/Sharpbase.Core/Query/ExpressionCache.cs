using System.Diagnostics.CodeAnalysis;
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

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Collection, string Text), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly int _maxEntries;

    /// <summary>Creates a cache of at most <paramref name="maxEntries"/> entries (default <see cref="DefaultMaxEntries"/>).</summary>
    public ExpressionCache(int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _maxEntries = maxEntries;
    }

    /// <summary>The number of entries held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Parses and binds <paramref name="text"/> for <paramref name="collection"/>, or returns the cached result.</summary>
    public bool TryGet(string text, CollectionDef collection, AppSchema schema, [NotNullWhen(true)] out BoundExpr? bound, [NotNullWhen(false)] out QueryError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(schema);
        var key = (collection.Name, text);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && ReferenceEquals(node.Value.Schema, schema))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return Result(node.Value, out bound, out error);
            }
        }
        ExpressionBinder.TryParseAndBind(text, collection, schema, out var newBound, out var newError);
        var entry = new Entry(key, schema, newBound, newError);
        lock (_lock)
        {
            if (_entries.Remove(key, out var stale))
            {
                _recency.Remove(stale);
            }
            _entries[key] = _recency.AddFirst(entry);
            while (_entries.Count > _maxEntries && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }
        return Result(entry, out bound, out error);
    }

    private static bool Result(Entry entry, [NotNullWhen(true)] out BoundExpr? bound, [NotNullWhen(false)] out QueryError? error)
    {
        bound = entry.Bound;
        error = entry.Error;
        return bound is not null;
    }

    private sealed record Entry((string Collection, string Text) Key, AppSchema Schema, BoundExpr? Bound, QueryError? Error);
}
