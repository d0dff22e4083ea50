using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Sharpbase.Bench.Baseline;

/// <summary>The posts table read through a pool of read-only connections and written through one writer, as Sharpbase does.</summary>
internal sealed class PostStore : IDisposable
{
    public const string Columns = "t.id, t.created_at, t.updated_at, t.version, t.\"title\", t.\"body\", t.\"status\", t.\"author\", "
        + "(SELECT json_group_array(target) FROM (SELECT target FROM \"_sb_rel__posts__tags\" WHERE source = t.id ORDER BY position)), t.\"views\", t.\"published_at\"";

    private static readonly JsonEncodedText[] Names = [.. new[] { "id", "created_at", "updated_at", "version", "title", "body", "status", "author", "tags", "views", "published_at" }.Select(n => JsonEncodedText.Encode(n))];

    private readonly string _readers;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public PostStore(string path)
    {
        _readers = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        _writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        _writer.Open();
        using var pragmas = _writer.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";
        pragmas.ExecuteNonQuery();
    }

    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readers);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs one write in a transaction on the single writer connection.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _writer.BeginTransaction();
            var result = await work(_writer, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes the current row (selected with <see cref="Columns"/>) as a post object.</summary>
    public static void WriteRow(DbDataReader reader, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(Names[0], reader.GetString(0));
        writer.WriteString(Names[1], reader.GetString(1));
        writer.WriteString(Names[2], reader.GetString(2));
        writer.WriteNumber(Names[3], reader.GetInt64(3));
        for (var i = 4; i < 8; i++)
        {
            if (reader.IsDBNull(i))
            {
                writer.WriteNull(Names[i]);
            }
            else
            {
                writer.WriteString(Names[i], reader.GetString(i));
            }
        }
        writer.WritePropertyName(Names[8]);
        writer.WriteRawValue(reader.GetString(8), skipInputValidation: true);
        if (reader.IsDBNull(9))
        {
            writer.WriteNull(Names[9]);
        }
        else
        {
            writer.WriteNumber(Names[9], reader.GetInt64(9));
        }
        if (reader.IsDBNull(10))
        {
            writer.WriteNull(Names[10]);
        }
        else
        {
            writer.WriteString(Names[10], reader.GetString(10));
        }
        writer.WriteEndObject();
    }

    public static ArrayBufferWriter<byte> NewBuffer() => new(4096);

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
