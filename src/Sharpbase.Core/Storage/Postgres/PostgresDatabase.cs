using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Sharpbase.Storage.Postgres;

/// <summary>
/// A PostgreSQL database through one pooled <see cref="NpgsqlDataSource"/>: statements used twice
/// are prepared automatically, connections go back to the pool without a reset, the pool multiplexes
/// when the setting asks (a second, plain pool then serves the connections that keep session state),
/// every write is one READ COMMITTED transaction, and a database that cannot be reached surfaces as
/// <see cref="StorageUnavailableException"/> (503 with Retry-After) until it answers again; the pool
/// reconnects by itself.
/// </summary>
public sealed class PostgresDatabase : Database
{
    // Statements are few shapes (generated from the schema), so a small per-connection cache covers them.
    private const int MaxAutoPrepare = 256;
    private const int AutoPrepareMinUsages = 2;

    private readonly NpgsqlDataSource _dataSource;

    // The plain pool beside a multiplexing one, for connections that keep session state; null when
    // the pool does not multiplex (its connections keep their session state themselves).
    private readonly NpgsqlDataSource? _plain;

    private PostgresDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource? plain, string location)
    {
        _dataSource = dataSource;
        _plain = plain;
        Location = location;
        CountStatements(plain is null ? [dataSource.ConnectionString] : [dataSource.ConnectionString, plain.ConnectionString]);
    }

    /// <summary>Host, port and database (<c>postgresql://host:5432/db</c>), without credentials.</summary>
    public override string Location { get; }

    /// <inheritdoc />
    public override SqlDialect Dialect { get; } = new PostgresDialect();

    /// <summary>Creates the pool and checks that the database answers.</summary>
    /// <param name="connection">A <c>postgres://</c> URL or a key=value connection string.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock held elsewhere before the database counts as unavailable (5 s); connecting follows the connection string's Timeout (15 s).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static async Task<PostgresDatabase> OpenAsync(string connection, TimeSpan? busyTimeout, CancellationToken cancellationToken)
    {
        var builder = PostgresConnection.Parse(connection);
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(5);
        builder.MaxAutoPrepare = builder.MaxAutoPrepare == 0 ? MaxAutoPrepare : builder.MaxAutoPrepare;
        builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        builder.ApplicationName ??= "sharpbase";
        // Sharpbase leaves no session state on a connection it hands back (a transaction still open is
        // rolled back by the pool either way), so the reset statements Npgsql would otherwise send with
        // the next command of every request (RESET ALL, CLOSE ALL, UNLISTEN *, …) are pure server work.
        builder.NoResetOnClose = true;
        // A row lock held elsewhere fails the statement after the busy timeout instead of queueing forever.
        var lockTimeout = "-c lock_timeout=" + ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        builder.Options = string.IsNullOrEmpty(builder.Options) ? lockTimeout : builder.Options + " " + lockTimeout;
        var dataSource = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).Build();
        // Multiplexing is the setting's choice (Multiplexing=true; off by default: a statement already
        // sent is not cancelled, and a slow one delays those sent after it on the same connection).
        // Connections with session state of their own (the advisor's planner settings and prepared
        // statement) then come from a pool that does not multiplex; it opens none until one is asked for.
        NpgsqlDataSource? plain = null;
        if (builder.Multiplexing)
        {
            builder.Multiplexing = false;
            plain = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).Build();
        }
        var database = new PostgresDatabase(dataSource, plain, PostgresConnection.Describe(builder));
        try
        {
            await using var probe = await dataSource.OpenConnectionAsync(cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public override ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken) => ConnectAsync(_dataSource, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<DbConnection> OpenSessionAsync(CancellationToken cancellationToken) => ConnectAsync(_plain ?? _dataSource, cancellationToken);

    /// <inheritdoc />
    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            // Once the commit starts, it runs to completion: an acknowledged write must not depend
            // on whether the client is still waiting.
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        catch (NpgsqlException e) when (Dialect.Classify(e).Kind == StorageFailureKind.Unavailable)
        {
            throw Unavailable(e);
        }
    }

    /// <inheritdoc />
    public override async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>Closes every pooled connection.</summary>
    public override async ValueTask DisposeAsync()
    {
        StopCounting();
        await _dataSource.DisposeAsync();
        if (_plain is not null)
        {
            await _plain.DisposeAsync();
        }
    }

    private async ValueTask<DbConnection> ConnectAsync(NpgsqlDataSource pool, CancellationToken cancellationToken)
    {
        try
        {
            return await pool.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (Dialect.Classify(e).Kind == StorageFailureKind.Unavailable)
        {
            throw Unavailable(e);
        }
    }

    // Idle connections of the pools may all be broken (the server restarted): drop them so the next
    // request opens a fresh one instead of failing on each stale connection in turn.
    private StorageUnavailableException Unavailable(NpgsqlException cause)
    {
        _dataSource.Clear();
        _plain?.Clear();
        return new StorageUnavailableException("the database is unavailable", cause);
    }
}
