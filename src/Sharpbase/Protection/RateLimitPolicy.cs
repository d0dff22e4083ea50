namespace Sharpbase.Protection;

/// <summary>A compiled rate-limit policy.</summary>
internal sealed record RateLimitPolicy(string Name, RoutePattern[] Routes, PartitionKind Per, int Limit, TimeSpan Window, LimitAlgorithm Algorithm)
{
    /// <summary>Sliding windows count in this many segments.</summary>
    public const int Segments = 10;

    /// <summary>The <c>RateLimit-Policy</c> item: <c>"auth";q=10;w=60</c>.</summary>
    public string PolicyField { get; } = $"\"{Name}\";q={Limit};w={Seconds(Window)}";

    public bool Matches(string method, string path)
    {
        foreach (var route in Routes)
        {
            if (route.Matches(method, path))
            {
                return true;
            }
        }
        return false;
    }

    public static long Seconds(TimeSpan span) => Math.Max(0, (long)Math.Ceiling(span.TotalSeconds));
}
