using Npgsql;

namespace Sharpbase.Bench.Baseline;

/// <summary>
/// The posts of a Sharpbase PostgreSQL database, through one pooled data source with the settings
/// Sharpbase sets: automatic preparation (statements used twice are prepared) and connections handed
/// back to the pool without a reset.
/// </summary>
internal sealed class PostgresPostStore : IDisposable
{
    public const string Columns = "t.id, t.created_at, t.updated_at, t.version, t.\"title\", t.\"body\", t.\"status\", t.\"author\", "
        + "(SELECT coalesce(json_agg(target ORDER BY position), '[]')::text FROM \"_sb_rel__posts__tags\" WHERE source = t.id), t.\"views\", t.\"published_at\"";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresPostStore(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 256, AutoPrepareMinUsages = 2, NoResetOnClose = true };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    public void Dispose() => _dataSource.Dispose();
}
