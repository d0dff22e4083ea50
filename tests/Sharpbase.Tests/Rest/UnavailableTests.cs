using System.Net;
using Microsoft.Data.Sqlite;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public sealed class UnavailableTests : IAsyncLifetime
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SharpbaseServer.StartAsync(TestSchemas.Everything, configure: o => o.DatabaseBusyTimeout = TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Write_WhileDatabaseLockedElsewhere_Is503WithRetryAfter_ThenRecovers()
    {
        await using (var blocker = new SqliteConnection($"Data Source={_server.DatabasePath};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();

            using var blocked = await _server.PostAsync("/api/tags", """{"name":"a"}""");

            await blocked.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(blocked.Headers.RetryAfter);
            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        using var recovered = await _server.PostAsync("/api/tags", """{"name":"a"}""");

        Assert.Equal(HttpStatusCode.Created, recovered.StatusCode);
        Assert.Equal(1, _server.CountRows("tags"));
    }
}
