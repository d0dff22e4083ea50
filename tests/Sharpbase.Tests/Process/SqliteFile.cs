using Microsoft.Data.Sqlite;

namespace Sharpbase.Tests.Process;

/// <summary>Reads a Sharpbase SQLite file directly, bypassing the server (which must not be running).</summary>
public static class SqliteFile
{
    public static string IntegrityCheck(string path)
    {
        var rows = Rows(path, "PRAGMA integrity_check");
        return string.Join("\n", rows.Select(r => Convert.ToString(r[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static object? Scalar(string path, string sql) => Rows(path, sql).FirstOrDefault()?[0];

    public static List<object?[]> Rows(string path, string sql)
    {
        Assert.True(File.Exists(path), $"no database at {path}");
        // Read-only and unpooled: the test must not recover or alter the file it is judging.
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public static string[] Columns(string path, string table) =>
        [.. Rows(path, $"SELECT name FROM pragma_table_info('{table}')").Select(r => (string)r[0]!)];
}
