using System.Data.Common;
using Npgsql;
using Sharpbase.Storage.Postgres;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Storage;

/// <summary>
/// The pools of a PostgreSQL database on the test PostgreSQL: one plain pool by default, where a
/// read cancelled while it runs stops and the others still answer; reads multiplex when the setting
/// asks (each concurrent read still gets its own answer) and a session connection then keeps what was
/// set on it.
/// </summary>
public sealed class PostgresPoolTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Open_SettingSilent_OnePlainPool()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting, null, CancellationToken.None);

        await using var reader = await database.OpenReaderAsync(CancellationToken.None);

        Assert.False(Multiplexed(reader));
        Assert.Equal("4321ms", await SetAndShowAsync(reader));
    }

    [Fact]
    public async Task Open_Multiplexing_ReadsMultiplexAndASessionKeepsItsSettings()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting + ";Multiplexing=true", null, CancellationToken.None);

        await using (var reader = await database.OpenReaderAsync(CancellationToken.None))
        {
            Assert.True(Multiplexed(reader));
        }
        await using var session = await database.OpenSessionAsync(CancellationToken.None);
        Assert.False(Multiplexed(session));
        Assert.Equal("4321ms", await SetAndShowAsync(session));
    }

    [Fact]
    public async Task Reads_ManyAtOnceOnTheMultiplexedPool_EachGetsItsOwnAnswer()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting + ";Multiplexing=true", null, CancellationToken.None);

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async value =>
        {
            await using var connection = await database.OpenReaderAsync(CancellationToken.None);
            return (value, answer: await EchoAsync(connection, value));
        }));

        Assert.All(answers, pair => Assert.Equal(pair.value, pair.answer));
    }

    [Fact]
    public async Task Reads_SomeCancelledWhileRunning_StopAndTheOthersStillAnswer()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting, null, CancellationToken.None);

        // Every fourth read sleeps 5 s in PostgreSQL and is cancelled after 100 ms; the others take 20 ms.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async value =>
        {
            var cancelled = value % 4 == 0;
            using var cancel = new CancellationTokenSource();
            if (cancelled)
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(100));
            }
            try
            {
                await using var connection = await database.OpenReaderAsync(CancellationToken.None);
                await using var command = new NpgsqlCommand($"SELECT $1::int + 0 FROM pg_sleep({(cancelled ? "5" : "0.02")})", (NpgsqlConnection)connection);
                command.Parameters.Add(new NpgsqlParameter { Value = value });
                return (value, cancelled, answer: (int?)(int)(await command.ExecuteScalarAsync(cancel.Token))!, failed: false);
            }
            catch (Exception e) when (e is OperationCanceledException or NpgsqlException)
            {
                return (value, cancelled, answer: (int?)null, failed: true);
            }
        }));

        Assert.All(outcomes, o => Assert.Equal(o.cancelled ? (o.value, true, (int?)null, true) : (o.value, false, (int?)o.value, false), o));
    }

    private static bool Multiplexed(DbConnection connection) => new NpgsqlConnectionStringBuilder(connection.ConnectionString).Multiplexing;

    private static async Task<int> EchoAsync(DbConnection connection, int value)
    {
        await using var command = new NpgsqlCommand("SELECT $1::int + 0 FROM pg_sleep(0.001)", (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> SetAndShowAsync(DbConnection connection)
    {
        await using (var set = new NpgsqlCommand("SET statement_timeout = '4321ms'", (NpgsqlConnection)connection))
        {
            await set.ExecuteNonQueryAsync();
        }
        await using var show = new NpgsqlCommand("SHOW statement_timeout", (NpgsqlConnection)connection);
        return (string?)await show.ExecuteScalarAsync();
    }
}
