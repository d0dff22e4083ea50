using Microsoft.Extensions.Logging;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

public abstract class SlowQueryTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    // Every statement counts as slow here, so the log and the statistics can be asserted without a slow database.
    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything, configure: o => o.SlowQueryThreshold = TimeSpan.Zero);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Statements_OverTheThreshold_AreLoggedByShapeAndCounted()
    {
        await _server.CreateAsync("tags", """{"name":"secret-value-42"}""");
        for (var i = 0; i < 3; i++)
        {
            using var response = await _server.GetAsync("/api/tags?filter=" + Uri.EscapeDataString("name = \"secret-value-42\""));
        }

        var slow = _server.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Slow query on tags", StringComparison.Ordinal)).ToList();
        var list = Assert.Single(_server.Runtime.Queries.Snapshot(), s => s.Shape.StartsWith("SELECT", StringComparison.Ordinal) && s.Shape.Contains("\"name\" = @p0", StringComparison.Ordinal));

        Assert.NotEmpty(slow);
        Assert.All(_server.Logs.Entries, e => Assert.DoesNotContain("secret-value-42", e.Message, StringComparison.Ordinal));
        Assert.Equal(3, list.Count);
        Assert.Equal(3, list.Rows);
        Assert.Equal("tags", list.Collection);
        Assert.True(list.MaxMs > 0 && list.TotalMs >= list.MaxMs);
        Assert.Equal(1, Assert.Single(_server.Runtime.Queries.Snapshot(), s => s.Shape.StartsWith("INSERT INTO \"tags\"", StringComparison.Ordinal)).Rows);
    }
}

public sealed class SlowQueryTestsOnSqlite : SlowQueryTests<Sqlite>;

public sealed class SlowQueryTestsOnPostgres : SlowQueryTests<Postgres>;
