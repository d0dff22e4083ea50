using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Sharpbase.Observability;

/// <summary>
/// Per-shape statistics of one database's SQL — runs, total and longest time, rows — and the
/// statements over a threshold, reported by every command run on the database's connections
/// (found by their connection string, so no span has to be created to count a statement).
/// </summary>
public sealed class StatementStatistics
{
    private const int MaxShapes = 2_000;

    private static readonly Lock Gate = new();
    private static FrozenDictionary<string, StatementStatistics> s_byConnection = FrozenDictionary<string, StatementStatistics>.Empty;

    private readonly ConcurrentDictionary<StatementShape, ShapeCounters> _shapes = new();
    private readonly string[] _connectionStrings;
    private Action<StatementShape, TimeSpan>? _slow;
    private TimeSpan _slowThreshold = TimeSpan.MaxValue;

    private StatementStatistics(string[] connectionStrings) => _connectionStrings = connectionStrings;

    /// <summary>
    /// Starts counting the statements run on connections opened with any of <paramref name="connectionStrings"/>;
    /// a later registration of the same strings takes over.
    /// </summary>
    internal static StatementStatistics Register(params string[] connectionStrings)
    {
        var statistics = new StatementStatistics(connectionStrings);
        lock (Gate)
        {
            var next = new Dictionary<string, StatementStatistics>(s_byConnection, StringComparer.Ordinal);
            foreach (var connectionString in connectionStrings)
            {
                next[connectionString] = statistics;
            }
            s_byConnection = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
        return statistics;
    }

    /// <summary>Stops counting (when the database closes); strings another registration took over stay with it.</summary>
    internal void Unregister()
    {
        lock (Gate)
        {
            var next = new Dictionary<string, StatementStatistics>(s_byConnection, StringComparer.Ordinal);
            foreach (var connectionString in _connectionStrings)
            {
                if (next.TryGetValue(connectionString, out var current) && ReferenceEquals(current, this))
                {
                    next.Remove(connectionString);
                }
            }
            s_byConnection = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>The statistics of the database a connection was opened on; null for a connection no open database made.</summary>
    internal static StatementStatistics? For(string connectionString) =>
        s_byConnection.TryGetValue(connectionString, out var statistics) ? statistics : null;

    /// <summary>Calls <paramref name="slow"/> for every statement that takes <paramref name="threshold"/> or longer.</summary>
    public void OnSlow(TimeSpan threshold, Action<StatementShape, TimeSpan> slow)
    {
        ArgumentNullException.ThrowIfNull(slow);
        _slow = slow;
        _slowThreshold = threshold;
    }

    /// <summary>The statistics so far, the costliest shapes first.</summary>
    public IReadOnlyList<StatementStats> Snapshot() =>
        [.. _shapes.Select(pair => pair.Value.Read(pair.Key)).OrderByDescending(s => s.TotalMs)];

    internal void Ran(StatementShape shape, TimeSpan elapsed)
    {
        Counters(shape)?.Add(elapsed.TotalMilliseconds);
        if (elapsed >= _slowThreshold)
        {
            _slow?.Invoke(shape, elapsed);
        }
    }

    internal void Returned(StatementShape shape, long rows)
    {
        if (rows > 0)
        {
            Counters(shape)?.AddRows(rows);
        }
    }

    private ShapeCounters? Counters(StatementShape shape) =>
        _shapes.TryGetValue(shape, out var counters) ? counters
        : _shapes.Count < MaxShapes ? _shapes.GetOrAdd(shape, static _ => new ShapeCounters())
        : null;

    private sealed class ShapeCounters
    {
        private readonly Lock _gate = new();
        private long _count;
        private long _rows;
        private double _total;
        private double _max;

        public void Add(double milliseconds)
        {
            lock (_gate)
            {
                _count++;
                _total += milliseconds;
                _max = Math.Max(_max, milliseconds);
            }
        }

        public void AddRows(long rows) => Interlocked.Add(ref _rows, rows);

        public StatementStats Read(StatementShape shape)
        {
            lock (_gate)
            {
                return new StatementStats(shape.Text, shape.Table, _count, _total, _max, Interlocked.Read(ref _rows));
            }
        }
    }
}
