using Sharpbase.Storage;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Storage;

/// <summary>Statements kept prepared on SQLite's reader connections: values bound anew on each use, and dropped on request.</summary>
public sealed class SqliteStatementReuseTests : IAsyncLifetime
{
    private const string Owned = "SELECT name FROM notes WHERE owner = @p0 ORDER BY name";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sharpbase-reuse-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = await SqliteDatabase.OpenAsync(Path.Combine(_folder, "data.db"), null, CancellationToken.None);
        await _database.WriteAsync(async (connection, transaction) =>
        {
            await Sql.ExecuteAsync(connection, transaction, "CREATE TABLE notes (name TEXT NOT NULL, owner TEXT NOT NULL)", [], CancellationToken.None);
            foreach (var (name, owner) in new[] { ("a1", "alice"), ("a2", "alice"), ("b1", "bob") })
            {
                await Sql.ExecuteAsync(connection, transaction, "INSERT INTO notes (name, owner) VALUES (@p0, @p1)", [name, owner], CancellationToken.None);
            }
            return 0;
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Read_SameStatementForTwoCallers_ReusedWithEachCallersValues()
    {
        var before = _database.StatementReuses;

        var first = await ReadAsync("alice");
        var second = await ReadAsync("bob");
        var third = await ReadAsync("alice");

        Assert.Equal(["a1", "a2"], first);
        Assert.Equal(["b1"], second);
        Assert.Equal(["a1", "a2"], third);
        Assert.Equal(before + 2, _database.StatementReuses);
    }

    [Fact]
    public async Task ForgetStatements_AfterAUse_NextUsePreparesAgain()
    {
        await ReadAsync("alice");
        var before = _database.StatementReuses;

        _database.ForgetStatements();
        var after = await ReadAsync("bob");

        Assert.Equal(["b1"], after);
        Assert.Equal(before, _database.StatementReuses);
    }

    private async Task<List<string>> ReadAsync(string owner)
    {
        await using var connection = await _database.OpenReaderAsync(CancellationToken.None);
        await using var command = Sql.Command(connection, null, Owned, [owner]);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var names = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}
