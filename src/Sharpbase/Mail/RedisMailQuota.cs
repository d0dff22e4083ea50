using Sharpbase.Cluster;
using StackExchange.Redis;

namespace Sharpbase.Mail;

/// <summary>
/// The mail quotas counted in Redis when <c>settings.redis</c> is set, so the limit per recipient
/// and the limit over all recipients hold for the whole cluster rather than for each node. Each
/// quota is a sorted set of admitted send times, checked and counted in one script: a send is
/// counted on both or on neither. A recipient's key holds a SHA-256 of the address, never the
/// address itself. <see cref="TryAdmitAsync"/> answers null when Redis cannot be reached; the
/// sender then counts in the process.
/// </summary>
internal sealed class RedisMailQuota(RedisConnection redis)
{
    private const string AllKey = RedisConnection.Prefix + "mail:all";
    private const string RecipientPrefix = RedisConnection.Prefix + "mail:to:";

    // KEYS[1]: the recipient's sends, KEYS[2]: every send. ARGV: now (ms), a unique member, the
    // recipient's window (ms) and limit, the window (ms) and limit over all recipients.
    // 0: admitted and counted on both; 1: the recipient had its limit; 2: the limit over all was spent.
    // A send at t is out of a window once now - t >= window, as in MailRecipientWindow and MailSendWindow.
    private const string AdmitScript = """
        local now = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[5]))
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return 2 end
        redis.call('ZADD', KEYS[1], now, ARGV[2])
        redis.call('ZADD', KEYS[2], now, ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return 0
        """;

    /// <summary>
    /// Admits a send to <paramref name="recipient"/> when it has had fewer than <paramref name="perRecipient"/>
    /// in the last <paramref name="recipientWindow"/> and all recipients fewer than <paramref name="overall"/>
    /// in the last <paramref name="overallWindow"/>; null when Redis is not reachable.
    /// </summary>
    public async ValueTask<RecipientAdmission?> TryAdmitAsync(string recipient, DateTimeOffset now, int perRecipient, TimeSpan recipientWindow,
        int overall, TimeSpan overallWindow)
    {
        var at = now.ToUnixTimeMilliseconds();
        var result = await redis.TryEvaluateAsync(AdmitScript, [RecipientKey(recipient), AllKey],
            [at, at + ":" + Guid.NewGuid().ToString("N"), (long)recipientWindow.TotalMilliseconds, perRecipient, (long)overallWindow.TotalMilliseconds, overall]);
        return result is null ? null : (long)result switch
        {
            0 => RecipientAdmission.Admitted,
            1 => RecipientAdmission.RecipientFull,
            _ => RecipientAdmission.AllFull,
        };
    }

    // Upper-cased as MailRecipientWindow compares (ordinal, ignoring case), the same on every node.
    private static RedisKey RecipientKey(string recipient) =>
        RedisConnection.HashedKey(RecipientPrefix, "sharpbase-mail-recipient", recipient.ToUpperInvariant());
}
