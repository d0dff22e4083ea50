using System.Diagnostics.Metrics;

namespace Sharpbase.Protection;

/// <summary><c>sharpbase.rate_limit.rejections</c> by policy and store (<c>local</c> or <c>redis</c>), and whether the shared Redis counter is in use.</summary>
internal sealed class ProtectionMetrics
{
    private readonly Counter<long> _rejections;

    public ProtectionMetrics(IMeterFactory meterFactory, Cluster.RedisConnection redis)
    {
        var meter = meterFactory.Create(Observability.SharpbaseTelemetry.Name);
        _rejections = meter.CreateCounter<long>("sharpbase.rate_limit.rejections", "{request}", "Requests answered 429 by a rate-limit policy");
        meter.CreateObservableGauge("sharpbase.rate_limit.redis.degraded", () => redis.Status == Cluster.RedisConnection.Degraded ? 1 : 0, "{state}",
            "1 while Redis is configured but unreachable and limits are counted per node");
    }

    public void Rejected(string policy, string store)
    {
        if (_rejections.Enabled)
        {
            _rejections.Add(1, new KeyValuePair<string, object?>("policy", policy), new KeyValuePair<string, object?>(Observability.Spans.RateLimitStore, store));
        }
    }
}
