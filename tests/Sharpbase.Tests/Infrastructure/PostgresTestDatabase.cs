using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Sharpbase.Tests.Infrastructure;

/// <summary>
/// A database <c>sb_test_…</c> for one test server at a time on the PostgreSQL server named by
/// <c>SHARPBASE_TEST_POSTGRES</c> (a superuser connection string; ./test.sh starts that server
/// with tests/services/postgres.sh). Creating and dropping a database took about 0.3 s, longer than
/// most tests, and a test class starts a server per test: so a database a test is done with is
/// emptied (its sessions ended, its <c>public</c> schema dropped and made again, which leaves it as
/// a new one is) and handed to the next test. The ones left at the end are dropped as the test process
/// exits, or, when it was stopped before it could, by the next test run on the same server.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "SHARPBASE_TEST_POSTGRES";

    private const string Prefix = "sb_test_";

    private static readonly ConcurrentBag<string> Emptied = [];

    // This test process's run: its databases are named sb_test_<run>_<n>, and it holds the advisory lock
    // <run> on a connection of its own for as long as it lives, so another run can tell its databases
    // from those of a run that has ended.
    private static readonly long Run = Random.Shared.NextInt64(1, long.MaxValue);

    private static readonly Lazy<Task<NpgsqlConnection>> RunLock = new(StartRunAsync);

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
        await RunLock.Value;
        if (!Emptied.TryTake(out var name))
        {
            name = $"{Prefix}{Run:x16}_{Guid.NewGuid():N}";
            await ExecuteAsync(AdminConnectionString, $"CREATE DATABASE {name}");
        }
        // Its own application name: a test's pooled connections (keyed by the connection string) are never handed to the next test.
        var setting = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            Pooling = true,
            ApplicationName = "sharpbase-test-" + Guid.NewGuid().ToString("N"),
        }.ConnectionString;
        return new PostgresTestDatabase(name, setting);
    }

    public override DbConnection Open(string dataDirectory)
    {
        var connection = Unpooled(Setting);
        connection.Open();
        return connection;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync(Setting,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid(); " +
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        }
        catch (NpgsqlException)
        {
            await ExecuteAsync(AdminConnectionString, Drop(_name));
            return;
        }
        Emptied.Add(_name);
    }

    // A connection of its own, outside any pool: pooled ones would outlive the database's sessions ended here.
    private static NpgsqlConnection Unpooled(string connectionString) =>
        new(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    private static string Drop(string name) => $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = Unpooled(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Takes this run's lock, drops the databases of runs that ended without dropping theirs (their lock is
    /// free), and has the databases still waiting for a test dropped when this process exits.
    /// </summary>
    private static async Task<NpgsqlConnection> StartRunAsync()
    {
        var connection = Unpooled(AdminConnectionString);
        await connection.OpenAsync();
        await Scalar(connection, $"SELECT pg_advisory_lock({Run})");
        var names = new List<string>();
        await using (var command = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{Prefix}%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }
        foreach (var ended in names.GroupBy(RunOf).Where(g => g.Key is { } run && run != Run))
        {
            if (await Scalar(connection, $"SELECT pg_try_advisory_lock({ended.Key})") is not true)
            {
                continue; // that run is still going
            }
            foreach (var name in ended)
            {
                await Scalar(connection, Drop(name));
            }
            await Scalar(connection, $"SELECT pg_advisory_unlock({ended.Key})");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropEmptied();
        return connection;
    }

    // The run of a database named sb_test_<run>_<guid>; null for any other name.
    private static long? RunOf(string name)
    {
        var parts = name[Prefix.Length..].Split('_');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var run) ? run : null;
    }

    private static void DropEmptied()
    {
        if (Emptied.IsEmpty)
        {
            return;
        }
        using var connection = Unpooled(AdminConnectionString);
        connection.Open();
        while (Emptied.TryTake(out var name))
        {
            using var command = new NpgsqlCommand(Drop(name), connection);
            command.ExecuteNonQuery();
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
