using System.Data.Common;
using System.Diagnostics;
using Sharpbase.Observability;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Storage;

/// <summary>
/// A command whose every execution is counted in its database's statistics (by shape: values are
/// always parameters, so no value is in the text) and timed in the query-duration metric, and is a
/// span only when something listens to the <c>Sharpbase</c> source (an exporter, a test). The shape
/// is the text as Sharpbase wrote it (<c>@p0</c>, …), also where PostgreSQL is sent <c>$1</c>, ….
/// </summary>
internal sealed class TracedCommand(DbCommand command, StatementShape shape, string system, StatementStatistics? statistics, ReusableSqliteConnection? owner) : IAsyncDisposable
{
    public async Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return statistics is null ? reader : new CountedReader(reader, statistics, shape);
        }
        finally
        {
            Record(started);
        }
    }

    public async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        var started = Stopwatch.GetTimestamp();
        var rows = 0;
        try
        {
            rows = await command.ExecuteNonQueryAsync(cancellationToken);
            return rows;
        }
        finally
        {
            Record(started);
            statistics?.Returned(shape, rows);
        }
    }

    public async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        var started = Stopwatch.GetTimestamp();
        object? value = null;
        try
        {
            value = await command.ExecuteScalarAsync(cancellationToken);
            return value;
        }
        finally
        {
            Record(started);
            statistics?.Returned(shape, value is null or DBNull ? 0 : 1);
        }
    }

    /// <summary>Hands a kept statement back to its connection for the next use, or disposes the command.</summary>
    public ValueTask DisposeAsync()
    {
        if (owner is null)
        {
            return command.DisposeAsync();
        }
        owner.Return((Microsoft.Data.Sqlite.SqliteCommand)command);
        return ValueTask.CompletedTask;
    }

    private void Record(long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        statistics?.Ran(shape, elapsed);
        if (SharpbaseTelemetry.QueryDuration.Enabled)
        {
            SharpbaseTelemetry.QueryDuration.Record(elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("db.operation.name", shape.Operation), new KeyValuePair<string, object?>("db.system.name", system),
                new KeyValuePair<string, object?>("db.collection.name", shape.Table));
        }
    }

    private Activity? Start()
    {
        if (!SharpbaseTelemetry.Source.HasListeners())
        {
            return null;
        }
        var activity = SharpbaseTelemetry.Source.StartActivity(shape.Operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", system);
            activity.SetTag("db.namespace", Sql.Namespace(command.Connection));
            activity.SetTag("db.query.text", shape.Text);
            activity.SetTag("db.collection.name", shape.Table);
        }
        return activity;
    }
}
