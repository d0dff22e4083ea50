using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Sharpbase.Rest;

/// <summary>
/// Tracks Idempotency-Keys whose first request is still running on this node, so a concurrent
/// repeat answers 409 instead of writing twice. Completed responses live in the database.
/// </summary>
internal sealed class IdempotencyGate
{
    public const int MaxKeyLength = 255;

    private readonly ConcurrentDictionary<(string Scope, string Key), byte> _running = new();

    public bool TryEnter(string scope, string key) => _running.TryAdd((scope, key), 0);

    public void Exit(string scope, string key) => _running.TryRemove((scope, key), out _);

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
}
