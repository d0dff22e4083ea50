using System.Diagnostics.Metrics;

namespace Sharpbase.Observability;

/// <summary>
/// The HTTP and account instruments of Sharpbase, created from <see cref="IMeterFactory"/> on the
/// <c>Sharpbase</c> meter. Tags are low-cardinality: route templates and collection names, never
/// paths, ids or users.
/// </summary>
internal sealed class SharpbaseMetrics
{
    private long _activeRequests;

    public SharpbaseMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(SharpbaseTelemetry.Name);
        RequestDuration = meter.CreateHistogram("sharpbase.http.request.duration", "s", "Duration of HTTP requests by route, collection and status",
            advice: SharpbaseTelemetry.SecondsBuckets);
        meter.CreateObservableUpDownCounter("sharpbase.http.active_requests", () => Volatile.Read(ref _activeRequests), "{request}",
            "HTTP requests being handled");
        CacheRequests = meter.CreateCounter<long>("sharpbase.cache.requests", "{request}", "Lookups in the server-side cache, by collection, kind (list or view) and result (hit or miss)");
        AuthFailures = meter.CreateCounter<long>("sharpbase.auth.failures", "{failure}", "Refused credentials: wrong passwords, invalid tokens");
    }

    public Histogram<double> RequestDuration { get; }

    /// <summary>Counts a request in <c>sharpbase.http.active_requests</c> until <see cref="RequestEnded"/>.</summary>
    public void RequestStarted() => Interlocked.Increment(ref _activeRequests);

    public void RequestEnded() => Interlocked.Decrement(ref _activeRequests);

    public Counter<long> AuthFailures { get; }

    public Counter<long> CacheRequests { get; }
}
