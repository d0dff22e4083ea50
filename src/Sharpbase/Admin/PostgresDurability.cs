using System.Data.Common;

namespace Sharpbase.Admin;

/// <summary>
/// PostgreSQL settings that trade durability for speed, as the server's own sessions see them
/// (server, database and role settings included): <c>fsync</c> and <c>full_page_writes</c> off can
/// corrupt the database on a crash; <c>synchronous_commit</c> off loses the last acknowledged writes.
/// </summary>
internal static class PostgresDurability
{
    public static async Task AddAsync(DbConnection connection, List<Finding> findings, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                settings[reader.GetString(0)] = reader.GetString(1);
            }
        }
        if (Off(settings, "fsync"))
        {
            findings.Add(new Finding("postgres-fsync", Finding.Error, "PostgreSQL runs with fsync off",
                "fsync = off: PostgreSQL does not wait for writes to reach the disk; a crash or power loss can corrupt the database beyond repair",
                "Set fsync = on in postgresql.conf (or ALTER SYSTEM SET fsync = on; SELECT pg_reload_conf();)."));
        }
        if (Off(settings, "full_page_writes"))
        {
            findings.Add(new Finding("postgres-full-page-writes", Finding.Error, "PostgreSQL runs with full_page_writes off",
                "full_page_writes = off: a page half-written during a crash cannot be repaired from the WAL, so data can be silently corrupted",
                "Set full_page_writes = on in postgresql.conf (or ALTER SYSTEM SET full_page_writes = on; SELECT pg_reload_conf();); leave it off only on a file system that writes pages atomically, such as ZFS."));
        }
        if (Off(settings, "synchronous_commit"))
        {
            findings.Add(new Finding("postgres-synchronous-commit", Finding.Warning, "PostgreSQL acknowledges commits before they are durable",
                "synchronous_commit = off for Sharpbase's sessions: writes acknowledged in the last moments before a crash can be lost (the database stays consistent)",
                "ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf(); and remove any ALTER DATABASE or ALTER ROLE … SET synchronous_commit = off, or the option in the connection string."));
        }
    }

    private static bool Off(Dictionary<string, string> settings, string name) => settings.TryGetValue(name, out var value) && value == "off";
}
