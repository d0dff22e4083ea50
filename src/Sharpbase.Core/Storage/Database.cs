using System.Data.Common;

namespace Sharpbase.Storage;

/// <summary>
/// A database Sharpbase stores records in: connections for reads, a serialized or pooled path for
/// writes, and the dialect that generates its SQL.
/// </summary>
public abstract class Database : IAsyncDisposable
{
    /// <summary>The dialect of this database.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>Where the data lives, as logs and traces name it (<c>db.namespace</c>); never holds credentials.</summary>
    public abstract string Location { get; }

    /// <summary>Opens a connection for reading; the caller disposes it.</summary>
    public abstract ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it when the work returns;
    /// any exception rolls everything back.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Checks that the database answers.</summary>
    public abstract Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
