using System.Net;
using Npgsql;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Storage;

/// <summary>
/// Nodes started together against one empty PostgreSQL database: the migration lock lets one of them
/// migrate; the others find the schema applied. Each node has a data folder of its own, as on
/// separate machines.
/// </summary>
public sealed class PostgresConcurrentStartTests
{
    private const int Nodes = 3;

    [Fact]
    public async Task Start_ThreeNodesAtOnceOnAnEmptyDatabase_MigrateOnceAndAllServe()
    {
        await using var together = await PostgresTestDatabase.CreateAsync();
        await using var alone = await PostgresTestDatabase.CreateAsync();
        var nodes = new List<SharpbaseServer>();
        try
        {
            // The servers' own databases stay unused: every node is pointed at the shared one.
            var starts = Enumerable.Range(0, Nodes).Select(_ => Task.Run(() => SharpbaseServer.StartAsync(Cluster.ClusterPair.Collections, configure: o => o.Database = together.Setting))).ToList();
            await Task.WhenAll(starts.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
            nodes.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            Assert.All(starts, s => Assert.True(s.IsCompletedSuccessfully, s.Exception?.ToString()));
            await using (var single = await SharpbaseServer.StartAsync(Cluster.ClusterPair.Collections, configure: o => o.Database = alone.Setting))
            {
                using var ready = await single.GetAsync("/health/ready");
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            for (var i = 0; i < Nodes; i++)
            {
                using var created = await nodes[i].PostAsync("/api/news", $$"""{"title":"from node {{i}}"}""");
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            foreach (var node in nodes)
            {
                using var list = await node.GetAsync("/api/news");
                Assert.Equal(Nodes, (await list.JsonAsync()).GetProperty("items").GetArrayLength());
            }
            var history = await HistoryAsync(together.Setting!);
            Assert.Equal(1, history.MigrationCount);
            Assert.Equal(await HistoryAsync(alone.Setting!), history);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    // What a start leaves behind: the migration descriptions, the schema snapshot, every column and index.
    private static async Task<History> HistoryAsync(string setting)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(setting) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return new History(
            (await ReadAsync(connection, "SELECT id FROM _sb_migrations")).Count,
            string.Join("\n---\n", await ReadAsync(connection, "SELECT description FROM _sb_migrations ORDER BY id")),
            string.Join("\n", await ReadAsync(connection, "SELECT snapshot FROM _sb_schema")),
            string.Join("\n", await ReadAsync(connection,
                "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') " +
                "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")),
            string.Join("\n", await ReadAsync(connection, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname")));
    }

    private static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }
        return values;
    }

    private sealed record History(int MigrationCount, string Migrations, string Snapshot, string Columns, string Indexes);
}
