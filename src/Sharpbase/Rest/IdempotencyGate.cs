using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sharpbase.Cluster;
using Sharpbase.Errors;
using Sharpbase.Records;
using Sharpbase.Rules;
using StackExchange.Redis;

namespace Sharpbase.Rest;

/// <summary>
/// Tracks Idempotency-Keys whose first request is still running, so a concurrent repeat answers
/// 409 instead of writing twice: on this node in memory and, with Redis, on every node through a
/// lock key (<c>SET NX PX</c>) that expires by itself if its node dies. While Redis is unreachable
/// the gate is per node. Completed responses live in the database.
/// </summary>
internal sealed class IdempotencyGate(RedisConnection redis)
{
    public const int MaxKeyLength = 255;

    public const string HeaderName = "Idempotency-Key";

    // Longer than any request may run (the request timeout is 30 s by default).
    private static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(60);

    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly ConcurrentDictionary<(string Scope, string Key), string> _running = new();

    /// <summary>
    /// Runs a write under the request's Idempotency-Key, if it has one: a repeat of a finished request
    /// is answered by <paramref name="replay"/> from the stored answer, the key with another request
    /// is 422 and a repeat of one still running 409; otherwise <paramref name="write"/> runs with the
    /// entry to store in its transaction. A key that is empty, repeated or not visible ASCII is 400.
    /// </summary>
    public async Task<IResult> RunAsync(HttpContext context, CallerContext caller, byte[] body, RecordsEngine engine,
        Func<IdempotencyEntry?, Task<IResult>> write, Func<IdempotentReplay, IResult> replay)
    {
        if (!context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return await write(null);
        }
        var key = values.Count == 1 ? values[0] ?? string.Empty : string.Empty;
        if (!IsValidKey(key))
        {
            return Problem.BadRequest($"{HeaderName} must be one header of 1 to {MaxKeyLength} visible ASCII characters");
        }
        if (!await TryEnterAsync(caller.Scope, key))
        {
            return Problem.IdempotencyInProgress();
        }
        try
        {
            var hash = Hash(context.Request.Method, context.Request.Path.Value ?? string.Empty, body);
            var stored = await engine.FindIdempotentAsync(caller.Scope, key, caller.Now, context.RequestAborted);
            if (stored is null)
            {
                return await write(new IdempotencyEntry(caller.Scope, key, hash));
            }
            return stored.RequestHash == hash
                ? replay(stored)
                : new Problem(StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused,
                    "this Idempotency-Key was already used with a different request; use a new key for a new request");
        }
        finally
        {
            await ExitAsync(caller.Scope, key);
        }
    }

    public async ValueTask<bool> TryEnterAsync(string scope, string key)
    {
        var token = Guid.NewGuid().ToString("N");
        if (!_running.TryAdd((scope, key), token))
        {
            return false;
        }
        if (redis.Available is not { } connection)
        {
            return true;
        }
        try
        {
            var locked = await connection.GetDatabase().StringSetAsync(LockKey(scope, key), token, LockLifetime, When.NotExists);
            redis.Succeeded();
            if (!locked)
            {
                _running.TryRemove((scope, key), out _);
            }
            return locked;
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e))
        {
            redis.Failed(e);
            return true;
        }
    }

    public async ValueTask ExitAsync(string scope, string key)
    {
        if (!_running.TryRemove((scope, key), out var token) || redis.Available is not { } connection)
        {
            return;
        }
        try
        {
            await connection.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [LockKey(scope, key)], [token]);
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e))
        {
            // The lock expires by itself.
            redis.Failed(e);
        }
    }

    /// <summary>A key is 1 to 255 visible ASCII characters.</summary>
    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and <= '~');

    /// <summary>What makes two requests "the same": method, path and body bytes.</summary>
    public static string Hash(string method, string path, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(method + " " + path + "\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static RedisKey LockKey(string scope, string key) => RedisConnection.HashedKey(RedisConnection.Prefix + "idem:", scope, key);
}
