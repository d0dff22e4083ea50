using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Sharpbase.Tests.Infrastructure;

public sealed class SqliteTestDatabase : TestDatabase
{
    public override string? Setting => null;

    public override DbConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "data.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
