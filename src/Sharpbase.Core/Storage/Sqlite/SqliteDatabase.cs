using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Sharpbase.Storage.Sqlite;

/// <summary>
/// An SQLite file in WAL mode with <c>synchronous=FULL</c>: one writer connection behind a lock
/// (SQLite allows one writer at a time anyway, and queueing in-process beats busy retries) and a
/// pool of read-only connections for readers.
/// </summary>
public sealed class SqliteDatabase : Database
{
    /// <summary>The lock wait used when none is given.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    // Open readers kept for the next request, with their prepared statements and page cache (memory
    // that counts): about as many as can run at once; more close when handed back.
    private static readonly int MaxIdleReaders = Math.Max(4, 2 * Environment.ProcessorCount);

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _readerConnectionString;
    private readonly ReusableSqliteConnection _writer;
    private readonly Stack<ReusableSqliteConnection> _idleReaders = new();
    private readonly StrongBox<int> _generation;
    private bool _disposed;

    private SqliteDatabase(string path, ReusableSqliteConnection writer, int timeoutSeconds, StrongBox<int> generation)
    {
        Path = path;
        _writer = writer;
        _generation = generation;
        _readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        CountStatements(_readerConnectionString, writer.ConnectionString);
    }

    /// <summary>How many statements ran on a connection that had them prepared already.</summary>
    internal long StatementReuses
    {
        get
        {
            lock (_idleReaders)
            {
                return _writer.Reuses + _idleReaders.Sum(r => r.Reuses);
            }
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Location => Path;

    /// <inheritdoc />
    public override SqlDialect Dialect { get; } = new SqliteDialect();

    /// <summary>Opens (creating when missing) the database file and configures it.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock held elsewhere before the database counts as unavailable (5 s).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static Task<SqliteDatabase> OpenAsync(string path, TimeSpan? busyTimeout, CancellationToken cancellationToken) =>
        OpenAsync(path, busyTimeout, "FULL", cancellationToken);

    /// <summary>Opens (creating when missing) the database file and configures it, with the writer's <c>synchronous</c> level.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock held elsewhere before the database counts as unavailable (5 s).</param>
    /// <param name="synchronous">
    /// <c>FULL</c> (the default: an acknowledged write survives power loss), <c>EXTRA</c>, or <c>NORMAL</c>
    /// (faster; the last writes before a power loss can be lost, never corrupted) — <c>OFF</c> is refused.
    /// </param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static async Task<SqliteDatabase> OpenAsync(string path, TimeSpan? busyTimeout, string synchronous, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var level = synchronous?.Trim().ToUpperInvariant();
        if (level is not ("FULL" or "EXTRA" or "NORMAL"))
        {
            throw new ArgumentException($"synchronous must be FULL, EXTRA or NORMAL, not '{synchronous}'", nameof(synchronous));
        }
        var timeoutSeconds = Math.Max(1, (int)(busyTimeout ?? DefaultBusyTimeout).TotalSeconds);
        var writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        var generation = new StrongBox<int>();
        var writer = new ReusableSqliteConnection(writerConnectionString, static _ => false, () => Volatile.Read(ref generation.Value));
        try
        {
            await writer.OpenAsync(cancellationToken);
            await ExecuteAsync(writer, "PRAGMA journal_mode=WAL", cancellationToken);
            await ExecuteAsync(writer, "PRAGMA synchronous=" + level, cancellationToken);
            await ExecuteAsync(writer, "PRAGMA foreign_keys=ON", cancellationToken);
            await ExecuteAsync(writer, "PRAGMA busy_timeout=" + (timeoutSeconds * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            return new SqliteDatabase(path, writer, timeoutSeconds, generation);
        }
        catch
        {
            // A file that is not a database, or cannot be written, must not leave a connection open.
            await writer.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        lock (_idleReaders)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idleReaders.TryPop(out var idle))
            {
                idle.Lend();
                return idle;
            }
        }
        var connection = new ReusableSqliteConnection(_readerConnectionString, TakeBack, () => Volatile.Read(ref _generation.Value));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc />
    public override void ForgetStatements() => Interlocked.Increment(ref _generation.Value);

    private bool TakeBack(ReusableSqliteConnection reader)
    {
        lock (_idleReaders)
        {
            if (_disposed || _idleReaders.Count >= MaxIdleReaders)
            {
                return false;
            }
            _idleReaders.Push(reader);
            return true;
        }
    }

    /// <inheritdoc />
    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var transaction = await _writer.BeginTransactionAsync(cancellationToken);
            var result = await work(_writer, transaction);
            // Once the commit starts, it runs to completion: an acknowledged write must not depend
            // on whether the client is still waiting.
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection outside any transaction, with foreign
    /// key enforcement off (SQLite refuses to change it inside a transaction); used by migrations.
    /// </summary>
    public async Task<T> WithForeignKeysOffAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await ExecuteAsync(_writer, "PRAGMA foreign_keys=OFF", cancellationToken);
            try
            {
                return await work(_writer);
            }
            finally
            {
                await ExecuteAsync(_writer, "PRAGMA foreign_keys=ON", CancellationToken.None);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public override async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Folds the WAL back into the database file and closes every connection.</summary>
    public override async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            if (_disposed)
            {
                return;
            }
            lock (_idleReaders)
            {
                _disposed = true;
                while (_idleReaders.TryPop(out var reader))
                {
                    reader.CloseForGood();
                }
            }
            StopCounting();
            await ExecuteAsync(_writer, "PRAGMA wal_checkpoint(TRUNCATE)", CancellationToken.None);
            await _writer.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
