using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sharpbase.Observability;

/// <summary>The one <see cref="ActivitySource"/> of Sharpbase; a host picks the exporters.</summary>
public static class SharpbaseTelemetry
{
    /// <summary>The name of the source and, later, the meter: <c>Sharpbase</c>.</summary>
    public const string Name = "Sharpbase";

    /// <summary>The source every Sharpbase span comes from.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Histogram buckets for durations in seconds, from 0.5 ms to 10 s.</summary>
    public static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>The engine's meter (the HTTP layer adds its own instruments under the same name).</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Duration of every SQL statement, tagged with its operation (SELECT, INSERT, …) and database system.</summary>
    public static readonly Histogram<double> QueryDuration = Meter.CreateHistogram("sharpbase.db.query.duration", "s", "Duration of SQL statements", advice: SecondsBuckets);
}
