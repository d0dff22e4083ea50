using System.Data.Common;
using Npgsql;

namespace Sharpbase.Tests.Infrastructure;

/// <summary>
/// A database <c>sb_test_…</c> created for one test server on the PostgreSQL server named by
/// <c>SHARPBASE_TEST_POSTGRES</c> (a superuser connection string; ./test.sh starts that server
/// with tests/services/postgres.sh) and dropped when the server is disposed.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "SHARPBASE_TEST_POSTGRES";

    private readonly string _name;

    private PostgresTestDatabase(string name, string setting)
    {
        _name = name;
        Setting = setting;
    }

    public override string Setting { get; }

    /// <summary>The superuser connection string of the test PostgreSQL server; fails the test when there is none.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run. ./test.sh starts a PostgreSQL server (tests/services/postgres.sh) and sets it; " +
                $"to run them with `dotnet test`, point {Variable} at a PostgreSQL superuser, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=…;Database=postgres " +
                "(or filter them out with --filter \"FullyQualifiedName!~Postgres\").");

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var name = "sb_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAdminAsync($"CREATE DATABASE {name}");
        var setting = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
        return new PostgresTestDatabase(name, setting);
    }

    public override DbConnection Open(string dataDirectory)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Setting) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    public override async ValueTask DisposeAsync() => await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");

    private static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
