using Microsoft.Data.Sqlite;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Query;

/// <summary>The query test database in memory on SQLite.</summary>
public sealed class SqliteQueryFixture() : QueryFixture(Open(), new SqliteDialect())
{
    private static SqliteConnection Open()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }
}
