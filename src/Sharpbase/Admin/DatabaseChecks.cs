using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sharpbase.Admin;

/// <summary>
/// Durability (SQLite: WAL and <c>synchronous</c>; PostgreSQL: <c>fsync</c>, <c>full_page_writes</c>,
/// <c>synchronous_commit</c>) and superusers without a second factor, read from the database itself.
/// </summary>
internal static class DatabaseChecks
{
    private const long SynchronousFull = 2;

    public static async Task AddAsync(AdvisorInput input, List<Finding> findings, CancellationToken cancellationToken)
    {
        if (input.WriterSynchronous is not null && await input.WriterSynchronous(cancellationToken) is var synchronous and < SynchronousFull)
        {
            findings.Add(new Finding("sqlite-synchronous", synchronous == 0 ? Finding.Error : Finding.Warning, "SQLite synchronous is lowered",
                $"the writer runs with synchronous={(synchronous == 0 ? "OFF" : "NORMAL")}: acknowledged writes can be lost on power failure",
                "Remove settings.server.sqlite_synchronous (or set it to full, the default)."));
        }
        if (input.OpenReader is null)
        {
            return;
        }
        await using var connection = await input.OpenReader(cancellationToken);
        if (connection is SqliteConnection)
        {
            var journal = Convert.ToString(await ScalarAsync(connection, "PRAGMA journal_mode", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding("sqlite-not-wal", Finding.Error, "The SQLite database is not in WAL mode",
                    $"journal_mode is {journal}: readers block the writer and the writer blocks readers",
                    "Start the server once (it switches the file to WAL), or run: sqlite3 data.db 'PRAGMA journal_mode=WAL'"));
            }
        }
        else if (connection is NpgsqlConnection)
        {
            await PostgresDurability.AddAsync(connection, findings, cancellationToken);
        }
        var unprotected = await SuperusersWithoutMfaAsync(connection, cancellationToken);
        if (unprotected.Count > 0)
        {
            findings.Add(new Finding("superuser-without-mfa", Finding.Warning, "A superuser signs in without a second factor",
                $"{unprotected.Count} superuser(s) without TOTP: {string.Join(", ", unprotected.Take(5))}{(unprotected.Count > 5 ? ", …" : string.Empty)}",
                "Sign in as each superuser and turn on TOTP: POST /auth/mfa/totp/setup, then POST /auth/mfa/totp/enable with a code."));
        }
    }

    private static async Task<List<string>> SuperusersWithoutMfaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var emails = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT s.email FROM _sb_superusers s LEFT JOIN _sb_credentials c ON c.kind = 'superuser' AND c.account_id = s.id "
            + "WHERE c.mfa_enabled IS NULL OR c.mfa_enabled = FALSE ORDER BY s.email";
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                emails.Add(reader.GetString(0));
            }
        }
        catch (DbException)
        {
            // A database Sharpbase has not migrated yet has no superusers.
        }
        return emails;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
