using System.Diagnostics.CodeAnalysis;

namespace Sharpbase.Caching;

/// <summary>
/// A bounded, thread-safe, least-recently-used map: at most a number of entries and at most a total
/// weight (each entry's weight is given when it is added, e.g. the length of the text it was made
/// from). Adding past either bound evicts the least recently used entries.
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly int _maxEntries;
    private readonly long _maxWeight;
    private long _weight;

    public LruCache(int maxEntries, long maxWeight = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWeight, 1);
        _maxEntries = maxEntries;
        _maxWeight = maxWeight;
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

    /// <summary>The total weight of the entries held.</summary>
    public long Weight
    {
        get
        {
            lock (_lock)
            {
                return _weight;
            }
        }
    }

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Adds or replaces an entry; one heavier than the whole cache may hold is not kept.</summary>
    public void Set(TKey key, TValue value, long weight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        lock (_lock)
        {
            if (_entries.Remove(key, out var stale))
            {
                _recency.Remove(stale);
                _weight -= stale.Value.Weight;
            }
            if (weight > _maxWeight)
            {
                return;
            }
            _entries[key] = _recency.AddFirst(new Entry(key, value, weight));
            _weight += weight;
            while ((_entries.Count > _maxEntries || _weight > _maxWeight) && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _weight -= oldest.Value.Weight;
            }
        }
    }

    private sealed record Entry(TKey Key, TValue Value, long Weight);
}
