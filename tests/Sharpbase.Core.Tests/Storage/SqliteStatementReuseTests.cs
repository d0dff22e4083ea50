using Microsoft.Data.Sqlite;
using Sharpbase.Storage;
using Sharpbase.Storage.Sqlite;
using SQLitePCL;

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

    [Fact]
    public async Task Read_LimitBoundAnewEachRun_StatementIsNotCompiledAgain()
    {
        var text = "SELECT name FROM notes ORDER BY name LIMIT " + new SqliteDialect().LimitParameter(0);
        await using var connection = await OpenTracingReaderAsync();

        var pages = new List<List<string>>();
        foreach (var limit in new long[] { 1, 3, 2 })
        {
            pages.Add(await ReadAsync(connection, text, limit));
        }

        Assert.Equal([["a1"], ["a1", "a2", "b1"], ["a1", "a2"]], pages);
        Assert.Equal(0, Recompilations((SqliteConnection)connection, text));
    }

    // Why the dialect casts: SQLite's planner reads a bare LIMIT parameter, and binding it again
    // makes the kept statement compile anew on its next run. If this starts failing, the cast can go.
    [Fact]
    public async Task Read_BareLimitParameterBoundAnew_StatementIsCompiledAgain()
    {
        const string text = "SELECT name FROM notes ORDER BY name LIMIT @p0";
        await using var connection = await OpenTracingReaderAsync();

        foreach (var limit in new long[] { 1, 3, 2 })
        {
            await ReadAsync(connection, text, limit);
        }

        Assert.True(Recompilations((SqliteConnection)connection, text) >= 2);
    }

    // A reader whose statements prepared from now on can be looked up (SQLitePCL tracks them only when asked).
    private async Task<System.Data.Common.DbConnection> OpenTracingReaderAsync()
    {
        var connection = await _database.OpenReaderAsync(CancellationToken.None);
        ((SqliteConnection)connection).Handle!.enable_sqlite3_next_stmt(true);
        return connection;
    }

    private static int Recompilations(SqliteConnection connection, string text)
    {
        const int reprepareCounter = 5; // SQLITE_STMTSTATUS_REPREPARE
        for (var statement = raw.sqlite3_next_stmt(connection.Handle, null); statement is not null; statement = raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            if (raw.sqlite3_sql(statement).utf8_to_string() == text)
            {
                return raw.sqlite3_stmt_status(statement, reprepareCounter, 0);
            }
        }
        throw new InvalidOperationException("the statement is not kept on the connection");
    }

    private static async Task<List<string>> ReadAsync(System.Data.Common.DbConnection connection, string text, object value)
    {
        await using var command = Sql.Command(connection, null, text, [value]);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var names = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private async Task<List<string>> ReadAsync(string owner)
    {
        await using var connection = await _database.OpenReaderAsync(CancellationToken.None);
        return await ReadAsync(connection, Owned, owner);
    }
}
