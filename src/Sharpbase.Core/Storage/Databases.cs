using Sharpbase.Storage.Postgres;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Storage;

/// <summary>
/// Picks the database from the <c>database</c> setting: empty for the SQLite file <c>data.db</c> in
/// the data folder, or a PostgreSQL URL / connection string.
/// </summary>
public static class Databases
{
    /// <summary>The SQLite file's name inside the data folder.</summary>
    public const string SqliteFileName = "data.db";

    /// <summary>The dialect the setting selects, for compiling rules before the database is open.</summary>
    public static SqlDialect DialectFor(string? setting) => PostgresConnection.IsPostgres(setting) ? new PostgresDialect() : new SqliteDialect();

    /// <summary>Where the setting points, without credentials (the SQLite file path, or PostgreSQL's host, port and database).</summary>
    /// <exception cref="ArgumentException">The setting is not a valid PostgreSQL connection.</exception>
    public static string Describe(string? setting, string dataDirectory) => PostgresConnection.IsPostgres(setting)
        ? PostgresConnection.Describe(setting!)
        : Path.Combine(dataDirectory, SqliteFileName);

    /// <summary>Opens the selected database; the SQLite file (and its folder) is created when missing.</summary>
    /// <param name="setting">The <c>database</c> setting (null or empty for SQLite).</param>
    /// <param name="dataDirectory">The data folder, which holds the SQLite file.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock before the database counts as unavailable (5 s).</param>
    /// <param name="sqliteSynchronous">SQLite's synchronous level (<c>full</c>, <c>extra</c> or <c>normal</c>).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="ArgumentException">The setting is not a valid PostgreSQL connection.</exception>
    public static async Task<Database> OpenAsync(string? setting, string dataDirectory, TimeSpan? busyTimeout, string sqliteSynchronous, CancellationToken cancellationToken)
    {
        if (PostgresConnection.IsPostgres(setting))
        {
            return await PostgresDatabase.OpenAsync(setting!, busyTimeout, cancellationToken);
        }
        Directory.CreateDirectory(dataDirectory);
        return await SqliteDatabase.OpenAsync(Path.Combine(dataDirectory, SqliteFileName), busyTimeout, sqliteSynchronous, cancellationToken);
    }
}
