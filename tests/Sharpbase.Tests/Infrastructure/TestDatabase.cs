using System.Data.Common;

namespace Sharpbase.Tests.Infrastructure;

/// <summary>
/// The database one test server runs on. A suite that must hold on every database is an abstract
/// class generic over <see cref="ITestDatabaseKind"/>, with a one-line subclass per database.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>The server's <c>database</c> setting: null for the SQLite file in its data folder.</summary>
    public abstract string? Setting { get; }

    /// <summary>Opens a connection to the server's database, bypassing the server; <paramref name="dataDirectory"/> holds the SQLite file.</summary>
    public abstract DbConnection Open(string dataDirectory);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A kind of database a suite runs on: <see cref="Sqlite"/> or <see cref="Postgres"/>.</summary>
public interface ITestDatabaseKind
{
    static abstract Task<TestDatabase> CreateAsync();
}

/// <summary>The SQLite file in the server's data folder (the default).</summary>
public sealed class Sqlite : ITestDatabaseKind
{
    public static Task<TestDatabase> CreateAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

/// <summary>A fresh database on the PostgreSQL server of <c>SHARPBASE_TEST_POSTGRES</c>, dropped afterwards.</summary>
public sealed class Postgres : ITestDatabaseKind
{
    public static async Task<TestDatabase> CreateAsync() => await PostgresTestDatabase.CreateAsync();
}
