using System.Collections.Concurrent;
using Sharpbase.Storage;

namespace Sharpbase.Auth;

/// <summary>
/// API keys for servers and scripts: shown once, stored as a SHA-256 hash (they are 256-bit random,
/// so a slow hash adds nothing), revocable at once, with the time they were last used.
/// </summary>
internal sealed class ApiKeyStore(Database database, TimeProvider time)
{
    /// <summary>How many live (unrevoked) keys one account may hold; bounds the list and what a stolen session can mint.</summary>
    public const int MaxLiveKeys = 100;

    private const int PrefixLength = 10;
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, ApiKeyRecord?> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _lastTouched = new(StringComparer.Ordinal);

    /// <summary>Creates a key; null when the account already holds <see cref="MaxLiveKeys"/> live keys.</summary>
    public async Task<(ApiKeyRecord Record, string Key)?> CreateAsync(string kind, string accountId, string name, CancellationToken cancellationToken)
    {
        var key = SecureTokens.NewApiKey();
        var now = time.GetUtcNow().UtcDateTime;
        var record = new ApiKeyRecord(Guid.CreateVersion7(now).ToString("D"), key[..PrefixLength], name, kind, accountId, AccountStore.Instant(now), null);
        // The count and the insert are one statement in the write transaction, so concurrent creates cannot pass the cap together.
        var inserted = await database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO _sb_api_keys (id, key_hash, prefix, name, kind, account_id, created_at, last_used_at, revoked_at) "
            + "SELECT @p0, @p1, @p2, @p3, @p4, @p5, @p6, NULL, NULL WHERE (SELECT count(*) FROM _sb_api_keys WHERE kind = @p4 AND account_id = @p5 AND revoked_at IS NULL) < @p7",
            [record.Id, SecureTokens.Hash(key), record.Prefix, name, kind, accountId, record.CreatedAt, MaxLiveKeys], cancellationToken), cancellationToken);
        return inserted == 0 ? null : (record, key);
    }

    public async Task<ApiKeyRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var hash = SecureTokens.Hash(key);
        if (!_byHash.TryGetValue(hash, out var record))
        {
            await using var connection = await database.OpenReaderAsync(cancellationToken);
            await using var command = Sql.Command(connection, null,
                "SELECT id, prefix, name, kind, account_id, created_at, last_used_at FROM _sb_api_keys WHERE key_hash = @p0 AND revoked_at IS NULL", [hash]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            record = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
            _byHash[hash] = record;
        }
        if (record is not null)
        {
            await TouchAsync(record.Id, cancellationToken);
        }
        return record;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string kind, string accountId, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null,
            "SELECT id, prefix, name, kind, account_id, created_at, last_used_at FROM _sb_api_keys WHERE kind = @p0 AND account_id = @p1 AND revoked_at IS NULL ORDER BY id", [kind, accountId]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }
        return keys;
    }

    /// <summary>Revokes a key of the account (any key, for a superuser); false when there is no such live key.</summary>
    public async Task<bool> RevokeAsync(string id, string kind, string accountId, bool anyOwner, CancellationToken cancellationToken)
    {
        var now = AccountStore.Instant(time.GetUtcNow().UtcDateTime);
        var changed = await database.WriteAsync(async (connection, transaction) => anyOwner
            ? await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_api_keys SET revoked_at = @p0 WHERE id = @p1 AND revoked_at IS NULL", [now, id], cancellationToken)
            : await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_api_keys SET revoked_at = @p0 WHERE id = @p1 AND kind = @p2 AND account_id = @p3 AND revoked_at IS NULL", [now, id, kind, accountId], cancellationToken),
            cancellationToken);
        // Revocation must bite on the next request: forget every cached look-up.
        _byHash.Clear();
        return changed > 0;
    }

    private async Task TouchAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_lastTouched.TryGetValue(id, out var last) && now - last < TouchInterval)
        {
            return;
        }
        _lastTouched[id] = now;
        await database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE _sb_api_keys SET last_used_at = @p0 WHERE id = @p1", [AccountStore.Instant(now), id], cancellationToken), cancellationToken);
    }

    private static ApiKeyRecord Read(System.Data.Common.DbDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetString(2),
        reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
}
