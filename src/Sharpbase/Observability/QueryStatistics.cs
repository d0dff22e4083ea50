using Microsoft.Extensions.Logging;
using Sharpbase.Storage;

namespace Sharpbase.Observability;

/// <summary>
/// Per-shape statistics of this server's SQL (count, total and longest time, rows; values are
/// always parameters, so the text is the shape) and the slow-query log, as its database counts them.
/// </summary>
internal sealed partial class QueryStatistics
{
    private readonly StatementStatistics _statements;

    public QueryStatistics(Database database, TimeSpan slowThreshold, ILogger logger)
    {
        _statements = database.Statistics;
        _statements.OnSlow(slowThreshold, (shape, elapsed) => Slow(logger, shape.Table ?? "-", elapsed.TotalMilliseconds, shape.Text));
    }

    /// <summary>The statistics so far, the costliest shapes first.</summary>
    public IReadOnlyList<StatementStats> Snapshot() => _statements.Snapshot();

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Slow query on {Collection}: {DurationMs:0.0} ms: {Shape}")]
    private static partial void Slow(ILogger logger, string collection, double durationMs, string shape);
}
