using Microsoft.Extensions.Caching.Hybrid;
using Sharpbase.Observability;
using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.Caching;

/// <summary>
/// Server-side cache of list pages for collections with <c>cache: { ttl: … }</c> (HybridCache: in
/// memory, plus a distributed level when one is registered). Entries are keyed by the page's ETag,
/// which changes with every committed write and with the caller's rule context, so a page is never
/// served stale after a write, nor to someone who may see other records.
/// </summary>
internal sealed class ListCache(HybridCache cache, SharpbaseMetrics metrics)
{
    public async Task<ListResult> GetOrListAsync(CollectionDef collection, string etag, Func<CancellationToken, Task<ListResult>> list, CancellationToken cancellationToken)
    {
        if (collection.CacheTtl is not { } ttl)
        {
            return await list(cancellationToken);
        }
        using var span = Spans.Start("cache.list");
        var lookup = new CacheLookup<ListResult>(list);
        try
        {
            var json = await cache.GetOrCreateAsync("sharpbase:list:" + collection.Name + ":" + etag, lookup, static async (lookup, token) =>
            {
                lookup.Missed = true;
                using var result = await lookup.Load(token);
                // A refused parameter is answered but never cached.
                return result.Error is null ? result.Json.ToArray() : throw new RefusedList(result);
            }, new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl }, cancellationToken: cancellationToken);
            lookup.Report(span, metrics, "list", collection.Name);
            return new ListResult(json, null);
        }
        catch (RefusedList refused)
        {
            lookup.Report(span, metrics, "list", collection.Name);
            return refused.Result;
        }
    }

    private sealed class RefusedList(ListResult result) : Exception
    {
        public ListResult Result { get; } = result;
    }
}
