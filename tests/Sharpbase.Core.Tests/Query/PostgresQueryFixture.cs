using Npgsql;
using Sharpbase.Storage.Postgres;

namespace Sharpbase.Core.Tests.Query;

/// <summary>
/// The query test database on PostgreSQL: a fresh database <c>sb_test_…</c> on the server named by
/// <c>SHARPBASE_TEST_POSTGRES</c> (./test.sh starts one), dropped afterwards.
/// </summary>
public sealed class PostgresQueryFixture : QueryFixture
{
    private static readonly string Name = "sb_test_" + Guid.NewGuid().ToString("N");

    public PostgresQueryFixture() : base(Open(), new PostgresDialect())
    {
    }

    public override void Dispose()
    {
        base.Dispose();
        Admin($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("SHARPBASE_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "SHARPBASE_TEST_POSTGRES is not set, so the PostgreSQL tests cannot run. ./test.sh starts a PostgreSQL server and sets it; with `dotnet test`, " +
                "point it at a PostgreSQL superuser (Host=…;Port=…;Username=…;Password=…;Database=postgres) or filter with --filter \"FullyQualifiedName!~Postgres\".");

    private static NpgsqlConnection Open()
    {
        Admin($"CREATE DATABASE {Name}");
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Name, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
