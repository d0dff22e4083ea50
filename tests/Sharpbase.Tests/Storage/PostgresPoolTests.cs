using System.Data.Common;
using Npgsql;
using Sharpbase.Storage.Postgres;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Storage;

/// <summary>
/// The pools of a PostgreSQL database on the test PostgreSQL: reads multiplex on a small machine or
/// when the setting asks (each concurrent read still gets its own answer), a session connection keeps
/// what was set on it, and a setting that turns multiplexing off, or asks for several hosts, gets one
/// plain pool.
/// </summary>
public sealed class PostgresPoolTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Open_SettingSilent_MultiplexesOnAMachineOfUpToFourProcessors()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting, null, CancellationToken.None);

        await using var reader = await database.OpenReaderAsync(CancellationToken.None);

        Assert.Equal(Environment.ProcessorCount <= PostgresConnection.MultiplexingProcessors, Multiplexed(reader));
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
    public async Task Open_MultiplexingOffInTheSetting_OnePlainPoolForReadsAndSessions()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting + ";Multiplexing=false", null, CancellationToken.None);

        await using (var reader = await database.OpenReaderAsync(CancellationToken.None))
        {
            Assert.False(Multiplexed(reader));
            Assert.Equal("4321ms", await SetAndShowAsync(reader));
        }
        await using var session = await database.OpenSessionAsync(CancellationToken.None);
        Assert.False(Multiplexed(session));
    }

    [Fact]
    public async Task Open_SeveralHosts_NotMultiplexedAndReads()
    {
        var builder = new NpgsqlConnectionStringBuilder(_database.Setting);
        builder.Host = builder.Host + "," + builder.Host;
        await using var database = await PostgresDatabase.OpenAsync(builder.ConnectionString, null, CancellationToken.None);

        await using var reader = await database.OpenReaderAsync(CancellationToken.None);

        Assert.False(Multiplexed(reader));
        Assert.Equal(7, await EchoAsync(reader, 7));
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
    public async Task Reads_SomeCancelledWhileRunning_TheOthersStillAnswer()
    {
        await using var database = await PostgresDatabase.OpenAsync(_database.Setting + ";Multiplexing=true", null, CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async value =>
        {
            using var cancel = new CancellationTokenSource();
            if (value % 4 == 0)
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(15));
            }
            try
            {
                await using var connection = await database.OpenReaderAsync(CancellationToken.None);
                await using var command = new NpgsqlCommand("SELECT $1::int + 0 FROM pg_sleep(0.03)", (NpgsqlConnection)connection);
                command.Parameters.Add(new NpgsqlParameter { Value = value });
                return (value, answer: (int?)(int)(await command.ExecuteScalarAsync(cancel.Token))!, error: (string?)null);
            }
            catch (Exception e) when (e is OperationCanceledException or NpgsqlException)
            {
                return (value, answer: null, error: e.GetType().Name + ": " + e.Message);
            }
        }));

        Assert.Contains(outcomes, o => o.value % 4 == 0 && o.error is not null);
        Assert.All(outcomes.Where(o => o.value % 4 != 0), o => Assert.Equal((o.value, (int?)o.value, (string?)null), o));
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
