using System.Collections.Concurrent;
using System.Diagnostics;
using Sharpbase.Observability;

namespace Sharpbase.Tests.Infrastructure;

/// <summary>Records the SQL statements one server runs, from its spans (filtered by database).</summary>
public sealed class SqlRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _statements = new();

    public SqlRecorder(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SharpbaseTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.namespace") as string == database)
                {
                    _statements.Enqueue((string)activity.GetTagItem("db.query.text")!);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Statements => [.. _statements];

    public void Clear() => _statements.Clear();

    public void Dispose() => _listener.Dispose();
}
