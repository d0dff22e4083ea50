using System.Net;
using Npgsql;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

/// <summary>
/// Two nodes on one PostgreSQL without a shared Redis gate take the same Idempotency-Key at the same
/// moment: the one whose transaction finishes second answers 409 with Retry-After and writes nothing.
/// The other node is played by an open transaction holding the key.
/// </summary>
public sealed class IdempotencyRaceTests : IAsyncLifetime
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<Postgres>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Post_KeyTakenMeanwhileByAnotherNode_409RetryAfterAndNothingWritten()
    {
        await using var otherNode = new NpgsqlConnection(_server.Database.Setting);
        await otherNode.OpenAsync();
        await using var transaction = await otherNode.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand(
            "INSERT INTO _sb_idempotency (scope, key, request_hash, status, record_id, version, body, created_at) VALUES ('anonymous', 'race-1', 'another request', 1, NULL, 1, '{}', @now)",
            otherNode, transaction))
        {
            take.Parameters.AddWithValue("now", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            await take.ExecuteNonQueryAsync();
        }

        var pending = _server.PostAsync("/api/tags", """{"name":"raced"}""", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", "race-1"));
        await WaitUntilBlockedOnTheKeyAsync(pending);
        await transaction.CommitAsync();
        using var response = await pending;

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_in_progress");
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(0, _server.CountRows("tags"));
    }

    // The server's insert of the key waits for the other transaction's lock on it.
    private async Task WaitUntilBlockedOnTheKeyAsync(Task pending)
    {
        await using var monitor = new NpgsqlConnection(_server.Database.Setting);
        await monitor.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !pending.IsCompleted)
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO _sb_idempotency%'", monitor);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail("the request never waited on the key held by the other transaction");
    }
}
