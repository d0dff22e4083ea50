using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Sharpbase.Records;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Bench.Micro;

/// <summary>Reading a page of 20 posts from SQLite and writing it as JSON, as a list does.</summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet's GlobalCleanup disposes the connection
public class RowWriterBenchmarks
#pragma warning restore CA1001
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private SqliteConnection _connection = null!;
    private RecordShape _shape = null!;
    private string _sql = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dialect = new SqliteDialect();
        _shape = new RecordShape(BenchSchema.Posts, dialect);
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE posts (id TEXT PRIMARY KEY, created_at TEXT, updated_at TEXT, version INTEGER, title TEXT, body TEXT, status TEXT, author TEXT, views INTEGER, published_at TEXT);
            CREATE TABLE _sb_rel__posts__tags (source TEXT, target TEXT, position INTEGER, PRIMARY KEY (source, target));
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 20)
            INSERT INTO posts SELECT printf('%08x-0000-7000-8000-%012x', n, n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1,
              'Post number ' || n, 'A post of the benchmark with a body of a sentence or two.', 'published',
              '01a21417-47a8-7e17-ac8a-ef520ecb3801', n, '2026-01-02T00:00:00.000Z' FROM seq;
            INSERT INTO _sb_rel__posts__tags SELECT id, 'tag-a', 0 FROM posts UNION ALL SELECT id, 'tag-b', 1 FROM posts;
            """;
        command.ExecuteNonQuery();
        _sql = $"SELECT {_shape.SelectList} FROM {_shape.Table} AS t ORDER BY t.id LIMIT 20";
    }

    [GlobalCleanup]
    public void Cleanup() => _connection.Dispose();

    [Benchmark]
    public int WritePage()
    {
        _buffer.ResetWrittenCount();
        using var command = _connection.CreateCommand();
        command.CommandText = _sql;
        using var reader = command.ExecuteReader();
        using var writer = new Utf8JsonWriter(_buffer);
        writer.WriteStartArray();
        while (reader.Read())
        {
            _shape.WriteRow(reader, writer);
        }
        writer.WriteEndArray();
        writer.Flush();
        return _buffer.WrittenCount;
    }
}
