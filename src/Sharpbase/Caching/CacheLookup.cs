using System.Diagnostics;
using Sharpbase.Observability;

namespace Sharpbase.Caching;

/// <summary>One lookup in a server-side cache: how to load the value on a miss, and whether that happened.</summary>
internal sealed class CacheLookup<T>(Func<CancellationToken, Task<T>> load)
{
    public Func<CancellationToken, Task<T>> Load { get; } = load;

    /// <summary>Set by the cache's factory, which runs only on a miss.</summary>
    public bool Missed { get; set; }

    /// <summary>Counts the lookup in <c>sharpbase.cache.requests</c> and tags its span (<paramref name="kind"/>: <c>list</c> or <c>view</c>).</summary>
    public void Report(Activity? span, SharpbaseMetrics metrics, string kind, string collection)
    {
        var result = Missed ? "miss" : "hit";
        if (metrics.CacheRequests.Enabled)
        {
            metrics.CacheRequests.Add(1, new KeyValuePair<string, object?>(Spans.Collection, collection), new KeyValuePair<string, object?>(Spans.CacheKind, kind),
                new KeyValuePair<string, object?>(Spans.CacheResult, result));
        }
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(Spans.Collection, collection);
            span.SetTag(Spans.CacheKind, kind);
            span.SetTag(Spans.CacheResult, result);
        }
    }
}
