using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Sharpbase.Observability;
using Sharpbase.Records;
using Sharpbase.Rules;
using Sharpbase.Schema;

namespace Sharpbase.Caching;

/// <summary>
/// Server-side cache of single records (GET by id, with its fields and expand) for collections with
/// <c>cache: { ttl: … }</c>. Entries are keyed by the engine's change counter, the normalised request
/// and the caller's rule context, so any committed write (to this collection or to one an expand
/// reads) moves every later read to a new key, and nobody reads an entry made for someone who may see
/// other records. The counter moves before the write is acknowledged: an entry read across a commit
/// is filed under the old count, which no read after the acknowledgment uses.
/// </summary>
internal sealed class ViewCache(HybridCache cache, SharpbaseMetrics metrics)
{
    /// <summary>The record from the cache, or from <paramref name="view"/> (stored for <paramref name="ttl"/> when found or absent).</summary>
    public async Task<RecordResult> GetOrViewAsync(long changes, CollectionDef collection, TimeSpan ttl, string id, string? fields, string? expand, CallerContext caller,
        Func<CancellationToken, Task<RecordResult>> view, CancellationToken cancellationToken)
    {
        using var span = Spans.Start("cache.view");
        var lookup = new CacheLookup<RecordResult>(view);
        try
        {
            var entry = await cache.GetOrCreateAsync(Key(collection.Name, id, fields, expand, caller, changes), lookup, static async (lookup, token) =>
            {
                lookup.Missed = true;
                var result = await lookup.Load(token);
                return result.Status is RecordStatus.Ok or RecordStatus.NotFound ? Pack(result) : throw new Uncacheable(result);
            }, new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl }, cancellationToken: cancellationToken);
            lookup.Report(span, metrics, "view", collection.Name);
            return Unpack(entry, id);
        }
        catch (Uncacheable uncacheable)
        {
            lookup.Report(span, metrics, "view", collection.Name);
            return uncacheable.Result;
        }
    }

    // The request and the caller are client text of any length: the key holds their hash.
    private static string Key(string collection, string id, string? fields, string? expand, CallerContext caller, long stamp)
    {
        var text = string.Join("\n", stamp, collection, id, fields, expand, caller.AuthId, caller.IsSuperuser, string.Join(",", caller.Roles));
        return "sharpbase:view:" + collection + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    // [found: 1 byte][version: 8 bytes][JSON]
    private static byte[] Pack(RecordResult result)
    {
        var entry = new byte[9 + result.Json.Length];
        entry[0] = result.Status == RecordStatus.Ok ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(1), result.Version);
        result.Json.Span.CopyTo(entry.AsSpan(9));
        return entry;
    }

    private static RecordResult Unpack(byte[] entry, string id) => entry[0] == 1
        ? new RecordResult(RecordStatus.Ok) { Json = entry.AsMemory(9), Id = id, Version = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(1)) }
        : new RecordResult(RecordStatus.NotFound);

    // A refusal (a bad parameter, a forbidden collection) is answered but never stored.
    private sealed class Uncacheable(RecordResult result) : Exception
    {
        public RecordResult Result { get; } = result;
    }
}
