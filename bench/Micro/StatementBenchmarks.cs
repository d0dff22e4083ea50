using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Sharpbase.Records;
using Sharpbase.Storage;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Bench.Micro;

/// <summary>
/// GET by id's statement on an SQLite file: through a reader connection of <see cref="SqliteDatabase"/>
/// (its statements kept prepared), and through a pooled Microsoft.Data.Sqlite connection and a new
/// command each time (the statement prepared on every use, as before).
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet's GlobalCleanup disposes the database
public class StatementBenchmarks
#pragma warning restore CA1001
{
    private const string Id = "0000000a-0000-7000-8000-00000000000a";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sharpbase-micro-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;
    private string _pooled = null!;
    private string _sql = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "data.db");
        _database = await SqliteDatabase.OpenAsync(path, null, CancellationToken.None);
        await _database.WriteAsync(async (connection, transaction) =>
        {
            await Sql.ExecuteAsync(connection, transaction, """
                CREATE TABLE posts (id TEXT PRIMARY KEY, created_at TEXT, updated_at TEXT, version INTEGER, title TEXT, body TEXT, status TEXT, author TEXT, views INTEGER, published_at TEXT)
                """, [], CancellationToken.None);
            await Sql.ExecuteAsync(connection, transaction, "CREATE TABLE _sb_rel__posts__tags (source TEXT, target TEXT, position INTEGER, PRIMARY KEY (source, target))", [], CancellationToken.None);
            await Sql.ExecuteAsync(connection, transaction, """
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1000)
                INSERT INTO posts SELECT printf('%08x-0000-7000-8000-%012x', n, n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1,
                  'Post number ' || n, 'A post of the benchmark with a body of a sentence or two.', 'published',
                  '01a21417-47a8-7e17-ac8a-ef520ecb3801', n, '2026-01-02T00:00:00.000Z' FROM seq
                """, [], CancellationToken.None);
            return 0;
        }, CancellationToken.None);
        var shape = new RecordShape(BenchSchema.Posts, _database.Dialect);
        _sql = $"SELECT {shape.SelectList} FROM {shape.Table} AS t WHERE t.id = @p0 AND (t.\"status\" = @p1)";
        _pooled = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<long> FreshStatement()
    {
        await using var connection = new SqliteConnection(_pooled);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.Parameters.AddWithValue("@p0", Id);
        command.Parameters.AddWithValue("@p1", "published");
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? reader.GetInt64(3) : -1;
    }

    [Benchmark]
    public async Task<long> KeptStatement()
    {
        await using var connection = await _database.OpenReaderAsync(CancellationToken.None);
        await using var command = Sql.Command(connection, null, _sql, [Id, "published"]);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        return await reader.ReadAsync() ? reader.GetInt64(3) : -1;
    }
}
