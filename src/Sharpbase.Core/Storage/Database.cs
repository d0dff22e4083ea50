using System.Data.Common;
using Sharpbase.Observability;

namespace Sharpbase.Storage;

/// <summary>
/// A database Sharpbase stores records in: connections for reads, a serialized or pooled path for
/// writes, and the dialect that generates its SQL.
/// </summary>
public abstract class Database : IAsyncDisposable
{
    private StatementStatistics? _statistics;

    /// <summary>Per-shape statistics of the statements run on this database's connections since it opened.</summary>
    public StatementStatistics Statistics => _statistics ?? throw new InvalidOperationException("the database counts no statements");

    /// <summary>The dialect of this database.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>Where the data lives, as logs and traces name it (<c>db.namespace</c>); never holds credentials.</summary>
    public abstract string Location { get; }

    /// <summary>Opens a connection for reading; the caller disposes it.</summary>
    public abstract ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens a connection for reading whose session state (settings, prepared statements) stays with it
    /// until it is disposed, which a connection from <see cref="OpenReaderAsync"/> need not promise: on
    /// PostgreSQL its statements may each go out on a different physical connection. The caller
    /// disposes it.
    /// </summary>
    public virtual ValueTask<DbConnection> OpenSessionAsync(CancellationToken cancellationToken) => OpenReaderAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it when the work returns;
    /// any exception rolls everything back.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Checks that the database answers.</summary>
    public abstract Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Drops the statements kept prepared (after a schema change, so none outlives the schema it was
    /// generated for); they are prepared again on their next use. Nothing to do where the driver manages them.
    /// </summary>
    public virtual void ForgetStatements()
    {
    }

    /// <summary>Counts the statements run on connections opened with any of <paramref name="connectionStrings"/> in <see cref="Statistics"/>.</summary>
    private protected void CountStatements(params string[] connectionStrings) => _statistics = StatementStatistics.Register(connectionStrings);

    /// <summary>Stops counting, when the database closes.</summary>
    private protected void StopCounting() => _statistics?.Unregister();
}
