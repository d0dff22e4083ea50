using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Sharpbase.Records;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Auth;

/// <summary>
/// The SQL of accounts: look-ups for sign-in, credentials, sessions with rotating refresh tokens,
/// and single-use tokens. Secrets are stored only as hashes.
/// </summary>
internal sealed class AccountStore(Database database, Func<AppSchema> schema)
{
    private UsersOfSchema? _current;

    /// <summary>The auth collection of the schema served now, when it has one.</summary>
    public CollectionDef? Users
    {
        get
        {
            var served = schema();
            var current = _current;
            if (current is null || !ReferenceEquals(current.Schema, served))
            {
                current = new UsersOfSchema(served, served.Collections.FirstOrDefault(c => c.Auth));
                _current = current;
            }
            return current.Users;
        }
    }

    private string UsersTable => database.Dialect.Quote(Users!.Name);

    public async Task<AccountRecord?> FindByEmailAsync(string kind, string email, CancellationToken cancellationToken)
    {
        if (kind == AccountKind.User && Users is null)
        {
            return null;
        }
        var sql = kind == AccountKind.User
            ? $"SELECT a.id, a.email, a.disabled, c.password_hash, c.token_version, c.mfa_enabled FROM {UsersTable} a LEFT JOIN _sb_credentials c ON c.kind = 'user' AND c.account_id = a.id WHERE a.email = @p0"
            : "SELECT a.id, a.email, FALSE, c.password_hash, c.token_version, c.mfa_enabled FROM _sb_superusers a LEFT JOIN _sb_credentials c ON c.kind = 'superuser' AND c.account_id = a.id WHERE a.email = @p0";
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, sql, [email]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new AccountRecord(kind, reader.GetString(0), reader.GetString(1), !reader.IsDBNull(2) && reader.GetBoolean(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? 0 : reader.GetInt64(4), !reader.IsDBNull(5) && reader.GetBoolean(5));
    }

    public async Task<AccountRecord?> FindByIdAsync(string kind, string id, CancellationToken cancellationToken)
    {
        if (kind == AccountKind.User && Users is null)
        {
            return null;
        }
        var email = kind == AccountKind.User
            ? $"SELECT email FROM {UsersTable} WHERE id = @p0"
            : "SELECT email FROM _sb_superusers WHERE id = @p0";
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, email, [id]);
        return await command.ExecuteScalarAsync(cancellationToken) is string found ? await FindByEmailAsync(kind, found, cancellationToken) : null;
    }

    /// <summary>The per-request facts about an account; null when it no longer exists.</summary>
    public async Task<AccountState?> GetStateAsync(string kind, string id, CancellationToken cancellationToken)
    {
        if (kind == AccountKind.User && Users is null)
        {
            return null;
        }
        var fields = kind == AccountKind.User ? Users!.Fields.Where(f => !f.Hidden && !f.IsMultipleRelation).ToList() : [];
        var extra = string.Concat(fields.Select(f => ", a." + database.Dialect.Quote(f.Name)));
        var sql = kind == AccountKind.User
            ? $"SELECT c.token_version, a.disabled, a.roles{extra} FROM {UsersTable} a JOIN _sb_credentials c ON c.kind = 'user' AND c.account_id = a.id WHERE a.id = @p0"
            : "SELECT c.token_version, FALSE, '[]' FROM _sb_superusers a JOIN _sb_credentials c ON c.kind = 'superuser' AND c.account_id = a.id WHERE a.id = @p0";
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, sql, [id]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var roles = reader.IsDBNull(2) ? [] : ParseRoles(reader.GetString(2));
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var ordinal = i + 3;
            values[fields[i].Name] = reader.IsDBNull(ordinal) ? null : fields[i].Type switch
            {
                FieldType.Boolean => reader.GetBoolean(ordinal),
                FieldType.Integer => reader.GetInt64(ordinal),
                FieldType.Number => reader.GetDouble(ordinal),
                _ => reader.GetValue(ordinal),
            };
        }
        return new AccountState(reader.GetInt64(0), !reader.IsDBNull(1) && reader.GetBoolean(1), roles) { Fields = values };
    }

    public static async Task InsertCredentialsAsync(DbConnection connection, DbTransaction transaction, string kind, string id, string passwordHash, CancellationToken cancellationToken) =>
        await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO _sb_credentials (kind, account_id, password_hash, token_version, mfa_secret, mfa_enabled, mfa_last_step) VALUES (@p0, @p1, @p2, 1, NULL, FALSE, 0)",
            [kind, id, passwordHash], cancellationToken);

    public Task<string> CreateSuperuserAsync(string email, string passwordHash, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var id = Guid.CreateVersion7(now).ToString("D");
            await Sql.ExecuteAsync(connection, transaction, "INSERT INTO _sb_superusers (id, email, created_at) VALUES (@p0, @p1, @p2)", [id, email, Instant(now)], cancellationToken);
            await InsertCredentialsAsync(connection, transaction, AccountKind.Superuser, id, passwordHash, cancellationToken);
            return id;
        }, cancellationToken);

    public async Task<long> CountSuperusersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, "SELECT count(*) FROM _sb_superusers", []);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Replaces the password hash; with <paramref name="revokeSessions"/>, also ends every session and older token.</summary>
    public Task SetPasswordAsync(string kind, string id, string passwordHash, bool revokeSessions, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_credentials SET password_hash = @p0 WHERE kind = @p1 AND account_id = @p2", [passwordHash, kind, id], cancellationToken);
            if (revokeSessions)
            {
                await RevokeAllInAsync(connection, transaction, kind, id, now, cancellationToken);
            }
            return true;
        }, cancellationToken);

    /// <summary>Ends every session of an account and bumps its token version, so older access tokens fail.</summary>
    public Task<IReadOnlyList<string>> RevokeAllAsync(string kind, string id, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => RevokeAllInAsync(connection, transaction, kind, id, now, cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<string>> RevokeAllInAsync(DbConnection connection, DbTransaction transaction, string kind, string id, DateTime now, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_credentials SET token_version = token_version + 1 WHERE kind = @p0 AND account_id = @p1", [kind, id], cancellationToken);
        var sessions = new List<string>();
        await using (var command = Sql.Command(connection, transaction, "SELECT DISTINCT session_id FROM _sb_sessions WHERE kind = @p0 AND account_id = @p1 AND revoked_at IS NULL", [kind, id]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                sessions.Add(reader.GetString(0));
            }
        }
        await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_sessions SET revoked_at = @p0 WHERE kind = @p1 AND account_id = @p2 AND revoked_at IS NULL", [Instant(now), kind, id], cancellationToken);
        return sessions;
    }

    public Task<NewSession> CreateSessionAsync(string kind, string id, DateTime now, TimeSpan lifetime, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var session = new NewSession(Guid.CreateVersion7(now).ToString("D"), SecureTokens.NewOpaqueToken());
            await InsertRefreshAsync(connection, transaction, session.SessionId, session.RefreshToken, kind, id, now, lifetime, cancellationToken);
            return session;
        }, cancellationToken);

    /// <summary>
    /// Exchanges a refresh token for a new one in the same session. A token can be exchanged once:
    /// presenting it again revokes the whole session (it was stolen, or replayed).
    /// </summary>
    public Task<RotationOutcome> RotateAsync(string refreshToken, DateTime now, TimeSpan lifetime, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var hash = SecureTokens.Hash(refreshToken);
            string sessionId, kind, account, expires;
            string? rotated, revoked;
            await using (var command = Sql.Command(connection, transaction, "SELECT session_id, kind, account_id, expires_at, rotated_at, revoked_at FROM _sb_sessions WHERE token_hash = @p0", [hash]))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return new RotationOutcome(RotationStatus.Invalid);
                }
                (sessionId, kind, account, expires) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                rotated = reader.IsDBNull(4) ? null : reader.GetString(4);
                revoked = reader.IsDBNull(5) ? null : reader.GetString(5);
            }
            if (revoked is not null || string.CompareOrdinal(expires, Instant(now)) <= 0)
            {
                return new RotationOutcome(RotationStatus.Invalid);
            }
            // The claim is conditional: on a database that runs writes concurrently (PostgreSQL), of two
            // exchanges of one token the second waits for the first's row lock and then finds it rotated.
            if (rotated is not null || await Sql.ExecuteAsync(connection, transaction,
                "UPDATE _sb_sessions SET rotated_at = @p0 WHERE token_hash = @p1 AND rotated_at IS NULL", [Instant(now), hash], cancellationToken) == 0)
            {
                await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_sessions SET revoked_at = @p0 WHERE session_id = @p1 AND revoked_at IS NULL", [Instant(now), sessionId], cancellationToken);
                return new RotationOutcome(RotationStatus.Reused, kind, account, sessionId);
            }
            var next = SecureTokens.NewOpaqueToken();
            await InsertRefreshAsync(connection, transaction, sessionId, next, kind, account, now, lifetime, cancellationToken);
            return new RotationOutcome(RotationStatus.Rotated, kind, account, sessionId, next);
        }, cancellationToken);

    /// <summary>Ends one session (logout); returns its id, or null when the token matches no live session of the account.</summary>
    public Task<string?> RevokeSessionAsync(string kind, string accountId, string sessionId, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var changed = await Sql.ExecuteAsync(connection, transaction,
                "UPDATE _sb_sessions SET revoked_at = @p0 WHERE session_id = @p1 AND kind = @p2 AND account_id = @p3 AND revoked_at IS NULL",
                [Instant(now), sessionId, kind, accountId], cancellationToken);
            return changed > 0 ? sessionId : null;
        }, cancellationToken);

    /// <summary>True when the session has been revoked (any time).</summary>
    public async Task<bool> IsSessionRevokedAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, "SELECT 1 FROM _sb_sessions WHERE session_id = @p0 AND revoked_at IS NOT NULL LIMIT 1", [sessionId]);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Sessions revoked recently enough that access tokens issued for them may still be unexpired.</summary>
    public async Task<IReadOnlyList<string>> RecentlyRevokedSessionsAsync(DateTime since, CancellationToken cancellationToken)
    {
        var sessions = new List<string>();
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, "SELECT DISTINCT session_id FROM _sb_sessions WHERE revoked_at >= @p0", [Instant(since)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(reader.GetString(0));
        }
        return sessions;
    }

    /// <summary>Stores a single-use token (reset, verification, second sign-in step) and returns it.</summary>
    public Task<string> IssueOneTimeAsync(string purpose, string kind, string id, DateTime now, TimeSpan lifetime, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var token = SecureTokens.NewOpaqueToken();
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM _sb_one_time_tokens WHERE expires_at < @p0", [Instant(now)], cancellationToken);
            await Sql.ExecuteAsync(connection, transaction,
                "INSERT INTO _sb_one_time_tokens (token_hash, purpose, kind, account_id, expires_at, used_at) VALUES (@p0, @p1, @p2, @p3, @p4, NULL)",
                [SecureTokens.Hash(token), purpose, kind, id, Instant(now + lifetime)], cancellationToken);
            return token;
        }, cancellationToken);

    /// <summary>Uses up a single-use token: the account it names, or null when it is unknown, used, expired or for another purpose.</summary>
    public Task<(string Kind, string Id)?> ConsumeOneTimeAsync(string purpose, string token, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync<(string, string)?>(async (connection, transaction) =>
        {
            var hash = SecureTokens.Hash(token);
            string kind, id;
            await using (var command = Sql.Command(connection, transaction,
                "SELECT kind, account_id FROM _sb_one_time_tokens WHERE token_hash = @p0 AND purpose = @p1 AND used_at IS NULL AND expires_at > @p2", [hash, purpose, Instant(now)]))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return null;
                }
                (kind, id) = (reader.GetString(0), reader.GetString(1));
            }
            // Conditional, so that of two concurrent uses only one finds the token unused.
            var claimed = await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_one_time_tokens SET used_at = @p0 WHERE token_hash = @p1 AND used_at IS NULL", [Instant(now), hash], cancellationToken);
            return claimed == 1 ? (kind, id) : null;
        }, cancellationToken);

    public Task MarkVerifiedAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
            await Sql.ExecuteAsync(connection, transaction, $"UPDATE {UsersTable} SET verified = TRUE, version = version + 1 WHERE id = @p0", [id], cancellationToken), cancellationToken);

    private static async Task InsertRefreshAsync(DbConnection connection, DbTransaction transaction, string sessionId, string token, string kind, string id, DateTime now, TimeSpan lifetime, CancellationToken cancellationToken) =>
        await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO _sb_sessions (token_hash, session_id, kind, account_id, created_at, expires_at, rotated_at, revoked_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, NULL, NULL)",
            [SecureTokens.Hash(token), sessionId, kind, id, Instant(now), Instant(now + lifetime)], cancellationToken);

    private static List<string> ParseRoles(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    internal static string Instant(DateTime utc) => FieldValidator.FormatInstant(utc);
}

/// <summary>The auth collection found in one schema (one reference, so it is read and replaced whole).</summary>
internal sealed record UsersOfSchema(AppSchema Schema, CollectionDef? Users);
