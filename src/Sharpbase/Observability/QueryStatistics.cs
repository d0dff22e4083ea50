using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Sharpbase.Observability;

/// <summary>
/// Per-shape statistics of this server's SQL (count, total and longest time; values are always
/// parameters, so the text is the shape) and the slow-query log, read from the SQL spans of the
/// <c>Sharpbase</c> ActivitySource for this server's database only.
/// </summary>
internal sealed partial class QueryStatistics : IDisposable
{
    private const int MaxShapes = 2_000;

    private readonly ConcurrentDictionary<string, ShapeStatistics> _shapes = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;
    private readonly string _database;
    private readonly TimeSpan _slow;
    private readonly ILogger _logger;

    public QueryStatistics(string database, TimeSpan slowThreshold, ILogger logger)
    {
        _database = database;
        _slow = slowThreshold;
        _logger = logger;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SharpbaseTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The statistics so far, the costliest shapes first.</summary>
    public IReadOnlyList<(string Shape, string? Collection, long Count, double TotalMs, double MaxMs)> Snapshot() =>
        [.. _shapes.Select(pair => (pair.Key, pair.Value.Collection, pair.Value.Count, pair.Value.TotalMs, pair.Value.MaxMs)).OrderByDescending(s => s.TotalMs)];

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        if (activity.GetTagItem("db.query.text") is not string shape || activity.GetTagItem("db.namespace") as string != _database)
        {
            return;
        }
        var elapsed = activity.Duration;
        if (_shapes.Count < MaxShapes || _shapes.ContainsKey(shape))
        {
            _shapes.GetOrAdd(shape, static text => new ShapeStatistics(CollectionOf(text))).Add(elapsed.TotalMilliseconds);
        }
        if (elapsed >= _slow)
        {
            Slow(_logger, CollectionOf(shape) ?? "-", elapsed.TotalMilliseconds, shape);
        }
    }

    // The first table a statement names after FROM, INTO or UPDATE; Sharpbase's own tables start with _sb_.
    private static string? CollectionOf(string shape) => TableName().Match(shape) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("(?:FROM|INTO|UPDATE)\\s+\"?([a-z_][a-z0-9_]*)\"?", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Slow query on {Collection}: {DurationMs:0.0} ms: {Shape}")]
    private static partial void Slow(ILogger logger, string collection, double durationMs, string shape);

    private sealed class ShapeStatistics(string? collection)
    {
        private readonly Lock _gate = new();
        private long _count;
        private double _total;
        private double _max;

        public string? Collection { get; } = collection;

        public long Count => Interlocked.Read(ref _count);

        public double TotalMs
        {
            get
            {
                lock (_gate)
                {
                    return _total;
                }
            }
        }

        public double MaxMs
        {
            get
            {
                lock (_gate)
                {
                    return _max;
                }
            }
        }

        public void Add(double milliseconds)
        {
            Interlocked.Increment(ref _count);
            lock (_gate)
            {
                _total += milliseconds;
                _max = Math.Max(_max, milliseconds);
            }
        }
    }
}
