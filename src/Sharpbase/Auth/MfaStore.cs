using Sharpbase.Storage;

namespace Sharpbase.Auth;

/// <summary>
/// The SQL of the TOTP second factor: the secret and last used step in <c>_sb_credentials</c>, and
/// recovery codes, stored only as hashes, in <c>_sb_recovery_codes</c>. Every use of a code is a
/// conditional update whose affected row count decides, so two requests racing with one code
/// cannot both pass.
/// </summary>
internal sealed class MfaStore(Database database)
{
    /// <summary>The account's TOTP state; null when it has no credentials.</summary>
    public async Task<MfaState?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null,
            "SELECT mfa_secret, mfa_enabled, mfa_last_step FROM _sb_credentials WHERE kind = @p0 AND account_id = @p1", [kind, id]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new MfaState(reader.IsDBNull(0) ? null : reader.GetString(0), !reader.IsDBNull(1) && reader.GetBoolean(1), reader.IsDBNull(2) ? 0 : reader.GetInt64(2));
    }

    /// <summary>Stores a secret awaiting its first code; false when TOTP is already on (an enabled secret is never replaced).</summary>
    public Task<bool> SetPendingSecretAsync(string kind, string id, string secret, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE _sb_credentials SET mfa_secret = @p0, mfa_last_step = 0 WHERE kind = @p1 AND account_id = @p2 AND mfa_enabled = FALSE",
            [secret, kind, id], cancellationToken) > 0, cancellationToken);

    /// <summary>
    /// Turns TOTP on with the pending <paramref name="secret"/> and replaces the recovery codes, in one
    /// transaction; false when the pending secret changed meanwhile or TOTP is already on.
    /// </summary>
    public Task<bool> EnableAsync(string kind, string id, string secret, long step, IReadOnlyList<string> recoveryCodeHashes, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var changed = await Sql.ExecuteAsync(connection, transaction,
                "UPDATE _sb_credentials SET mfa_enabled = TRUE, mfa_last_step = @p0 WHERE kind = @p1 AND account_id = @p2 AND mfa_secret = @p3 AND mfa_enabled = FALSE",
                [step, kind, id, secret], cancellationToken);
            if (changed == 0)
            {
                return false;
            }
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM _sb_recovery_codes WHERE kind = @p0 AND account_id = @p1", [kind, id], cancellationToken);
            foreach (var hash in recoveryCodeHashes)
            {
                await Sql.ExecuteAsync(connection, transaction,
                    "INSERT INTO _sb_recovery_codes (kind, account_id, code_hash, used_at) VALUES (@p0, @p1, @p2, NULL)", [kind, id, hash], cancellationToken);
            }
            return true;
        }, cancellationToken);

    /// <summary>Records <paramref name="step"/> as the last used one; false when it is not after the stored step (a replay, or a race lost).</summary>
    public Task<bool> AdvanceStepAsync(string kind, string id, long step, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE _sb_credentials SET mfa_last_step = @p0 WHERE kind = @p1 AND account_id = @p2 AND mfa_enabled = TRUE AND mfa_last_step < @p0",
            [step, kind, id], cancellationToken) > 0, cancellationToken);

    /// <summary>Uses up a recovery code (by the hash of its normalized form); false when it is unknown or already used.</summary>
    public Task<bool> UseRecoveryCodeAsync(string kind, string id, string codeHash, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE _sb_recovery_codes SET used_at = @p0 WHERE kind = @p1 AND account_id = @p2 AND code_hash = @p3 AND used_at IS NULL",
            [AccountStore.Instant(now), kind, id, codeHash], cancellationToken) > 0, cancellationToken);

    /// <summary>Turns TOTP off: forgets the secret and the recovery codes.</summary>
    public Task DisableAsync(string kind, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await Sql.ExecuteAsync(connection, transaction,
                "UPDATE _sb_credentials SET mfa_secret = NULL, mfa_enabled = FALSE, mfa_last_step = 0 WHERE kind = @p0 AND account_id = @p1", [kind, id], cancellationToken);
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM _sb_recovery_codes WHERE kind = @p0 AND account_id = @p1", [kind, id], cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// The account a live single-use token names, without using it up (the second sign-in step keeps
    /// its token until a code is accepted); null when it is unknown, used, expired or for another purpose.
    /// </summary>
    public async Task<(string Kind, string Id)?> PeekOneTimeAsync(string purpose, string token, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Sql.Command(connection, null,
            "SELECT kind, account_id FROM _sb_one_time_tokens WHERE token_hash = @p0 AND purpose = @p1 AND used_at IS NULL AND expires_at > @p2",
            [SecureTokens.Hash(token), purpose, AccountStore.Instant(now)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Uses up a single-use token; false when another request used it first, or it expired meanwhile.</summary>
    public Task<bool> ConsumeOneTimeAsync(string purpose, string token, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE _sb_one_time_tokens SET used_at = @p0 WHERE token_hash = @p1 AND purpose = @p2 AND used_at IS NULL AND expires_at > @p0",
            [AccountStore.Instant(now), SecureTokens.Hash(token), purpose], cancellationToken) > 0, cancellationToken);
}
