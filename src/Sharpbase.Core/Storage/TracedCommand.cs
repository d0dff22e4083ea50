using System.Data.Common;
using System.Diagnostics;
using Sharpbase.Observability;

namespace Sharpbase.Storage;

/// <summary>
/// A command whose every execution is a span carrying the statement's text (its shape: values are
/// always parameters, so no value is in it) and the database it ran on.
/// </summary>
internal sealed class TracedCommand(DbCommand command, string system, string? database) : IAsyncDisposable
{
    public async Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
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
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            Record(started);
        }
    }

    public async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken);
        }
        finally
        {
            Record(started);
        }
    }

    private void Record(long started)
    {
        if (SharpbaseTelemetry.QueryDuration.Enabled)
        {
            SharpbaseTelemetry.QueryDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("db.operation.name", Operation(command.CommandText)), new KeyValuePair<string, object?>("db.system.name", system));
        }
    }

    private static string Operation(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? text[..space] : text;
    }

    public ValueTask DisposeAsync() => command.DisposeAsync();

    private Activity? Start()
    {
        var text = command.CommandText;
        var activity = SharpbaseTelemetry.Source.StartActivity(Operation(text), ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", system);
            activity.SetTag("db.namespace", database);
            activity.SetTag("db.query.text", text);
        }
        return activity;
    }
}
