using System.Buffers.Text;
using System.Data.Common;
using System.Text;

namespace Sharpbase.Tests.Admin;

/// <summary>A schema and settings made to trip every finding the advisor has about schema, settings and traffic.</summary>
internal static class AdvisorSchemas
{
    /// <summary>The HS256 secret jwt.io shows: long enough to be accepted at start, known to everyone.</summary>
    public static readonly string PublishedSecret = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("a-string-secret-at-least-256-bits-long"));

    /// <summary>
    /// The durability findings a PostgreSQL connection's settings call for, read with SHOW apart from the
    /// advisor (the test server runs with fsync, full_page_writes and synchronous_commit off).
    /// </summary>
    public static async Task<List<string>> DurabilityFindingsAsync(DbConnection connection)
    {
        var ids = new List<string>();
        foreach (var (setting, id) in new[] { ("fsync", "postgres-fsync"), ("full_page_writes", "postgres-full-page-writes"), ("synchronous_commit", "postgres-synchronous-commit") })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SHOW " + setting;
            if ((string?)await command.ExecuteScalarAsync() == "off")
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    public static string Careless(string extraSettings = "") => $$"""
        collections:
          users:
            auth: true
          notes:
            fields:
              owner: { type: relation, collection: users }
              title: { type: text }
              score: { type: integer }
            rules: { list: "true", view: "true", create: "true", update: "owner = @auth.id" }
        settings:
          server: { sqlite_synchronous: normal }
          cors: { origins: ["*"] }
          trusted_proxies: ["10.0.0.5", "0.0.0.0/0"]
          rate_limits:
            - { name: writes, routes: ["POST /api/*"], per: ip, limit: 1000, window: 1m }
          auth:
            jwt:
              algorithm: HS256
              keys: ['{"kty":"oct","kid":"tutorial","k":"{{PublishedSecret}}"}']
        {{extraSettings}}
        """;
}
