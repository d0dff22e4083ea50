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
                new KeyValuePair<string, object?>("db.operation.name", Operation(command.CommandText)), new KeyValuePair<string, object?>("db.system.name", system),
                new KeyValuePair<string, object?>("db.collection.name", Table(command.CommandText)));
        }
    }

    private static string Operation(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? text[..space] : text;
    }

    /// <summary>
    /// The first table the statement names after FROM, INTO or UPDATE: a name from the schema or one
    /// of Sharpbase's own tables, never a value, so the tag stays low-cardinality.
    /// </summary>
    internal static string? Table(string text)
    {
        var at = -1;
        foreach (var keyword in (ReadOnlySpan<string>)["FROM ", "INTO ", "UPDATE "])
        {
            var found = text.IndexOf(keyword, StringComparison.Ordinal);
            if (found >= 0 && (at < 0 || found < at))
            {
                at = found + keyword.Length;
            }
        }
        if (at < 0)
        {
            return null;
        }
        var start = at < text.Length && text[at] == '"' ? at + 1 : at;
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterLower(text[end]) || char.IsAsciiDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }
        return end > start ? text[start..end] : null;
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
            activity.SetTag("db.collection.name", Table(text));
        }
        return activity;
    }
}
