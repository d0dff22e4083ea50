using System.Data.Common;
using System.Globalization;
using Sharpbase.Observability;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Storage;

/// <summary>Small helpers to run parameterized statements; values always travel as parameters.</summary>
internal static class Sql
{
    // "@p0", "@p1", …: the names Sharpbase's statements use, made once.
    private static readonly string[] ParameterNames = [.. Enumerable.Range(0, 256).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture))];

    public static TracedCommand Command(DbConnection connection, DbTransaction? transaction, string text, IReadOnlyList<object?> parameters)
    {
        var reusable = connection as ReusableSqliteConnection;
        var shape = StatementShape.Of(text);
        DbCommand command;
        var positional = false;
        if (reusable is not null)
        {
            command = reusable.Rent(text);
        }
        else
        {
            command = connection.CreateCommand();
            var rewritten = parameters.Count > 0 && connection is not Microsoft.Data.Sqlite.SqliteConnection ? Postgres.PositionalStatements.Rewrite(shape, parameters.Count) : null;
            positional = rewritten is not null;
            command.CommandText = rewritten ?? text;
        }
        command.Transaction = transaction;
        Bind(command.Parameters, parameters, command, positional);
        return new TracedCommand(command, shape, SystemName(connection), StatementStatistics.For(connection.ConnectionString), reusable);
    }

    // A statement used before keeps its parameters: only their values change. Positional parameters
    // ($1, $2, … on PostgreSQL) have no name.
    private static void Bind(DbParameterCollection bound, IReadOnlyList<object?> parameters, DbCommand command, bool positional)
    {
        if (bound.Count != parameters.Count)
        {
            bound.Clear();
            for (var i = 0; i < parameters.Count; i++)
            {
                var parameter = command.CreateParameter();
                if (!positional)
                {
                    parameter.ParameterName = i < ParameterNames.Length ? ParameterNames[i] : "@p" + i.ToString(CultureInfo.InvariantCulture);
                }
                bound.Add(parameter);
            }
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            bound[i].Value = parameters[i] ?? DBNull.Value;
        }
    }

    /// <summary>The database system, as traces name it (<c>db.system.name</c>).</summary>
    public static string SystemName(DbConnection connection) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection ? "sqlite" : Postgres.PostgresConnection.SystemName(connection);

    /// <summary>Which database, as traces name it (<c>db.namespace</c>): the SQLite file, or PostgreSQL's host, port and database.</summary>
    public static string? Namespace(DbConnection? connection) => connection switch
    {
        null => null,
        Microsoft.Data.Sqlite.SqliteConnection sqlite => sqlite.DataSource,
        _ => Postgres.PostgresConnection.Namespace(connection),
    };

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string Placeholders(int start, int count) =>
        string.Join(", ", Enumerable.Range(start, count).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));
}
