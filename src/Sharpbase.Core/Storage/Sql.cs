using System.Data.Common;
using System.Globalization;
using Sharpbase.Observability;

namespace Sharpbase.Storage;

/// <summary>Small helpers to run parameterized statements; values always travel as parameters.</summary>
internal static class Sql
{
    public static TracedCommand Command(DbConnection connection, DbTransaction? transaction, string text, IReadOnlyList<object?> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = parameters[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return new TracedCommand(command, SystemName(connection), StatementStatistics.For(connection.ConnectionString));
    }

    /// <summary>The database system, as traces name it (<c>db.system.name</c>).</summary>
    public static string SystemName(DbConnection connection) => connection switch
    {
        Microsoft.Data.Sqlite.SqliteConnection => "sqlite",
        Npgsql.NpgsqlConnection => "postgresql",
        _ => connection.GetType().Name,
    };

    /// <summary>Which database, as traces name it (<c>db.namespace</c>): the SQLite file, or PostgreSQL's host, port and database.</summary>
    public static string? Namespace(DbConnection? connection) => connection switch
    {
        Npgsql.NpgsqlConnection npgsql => Postgres.PostgresConnection.Describe(npgsql.Host, npgsql.Port, npgsql.Database),
        _ => connection?.DataSource,
    };

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string Placeholders(int start, int count) =>
        string.Join(", ", Enumerable.Range(start, count).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));
}
