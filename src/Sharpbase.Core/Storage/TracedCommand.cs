using System.Data.Common;
using System.Diagnostics;
using Sharpbase.Observability;

namespace Sharpbase.Storage;

/// <summary>
/// A command whose every execution is a span carrying the statement's text (its shape: values are
/// always parameters, so no value is in it) and the database it ran on.
/// </summary>
internal sealed class TracedCommand(DbCommand command, string system) : IAsyncDisposable
{
    public async Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        return await command.ExecuteReaderAsync(cancellationToken);
    }

    public async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        using var activity = Start();
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => command.DisposeAsync();

    private Activity? Start()
    {
        var text = command.CommandText;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var activity = SharpbaseTelemetry.Source.StartActivity(space > 0 ? text[..space] : text, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", system);
            activity.SetTag("db.namespace", command.Connection?.DataSource);
            activity.SetTag("db.query.text", text);
        }
        return activity;
    }
}
