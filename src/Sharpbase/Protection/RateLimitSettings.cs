namespace Sharpbase.Protection;

/// <summary>One rate-limit policy as configured: <c>{ name: auth, routes: ["POST /auth/*"], per: ip, limit: 10, window: 1m }</c>.</summary>
public sealed class RateLimitSettings
{
    /// <summary>The name shown in the <c>RateLimit</c> headers.</summary>
    public string? Name { get; set; }

    /// <summary>Routes as <c>METHOD /pattern</c> (method optional or <c>*</c>; <c>*</c> as a segment matches one, at the end any rest).</summary>
    public List<string> Routes { get; } = [];

    /// <summary>The partition: <c>ip</c> (default), <c>user</c> or <c>api_key</c>.</summary>
    public string? Per { get; set; }

    /// <summary>Requests allowed per window.</summary>
    public int Limit { get; set; }

    /// <summary>The window, e.g. <c>30s</c>, <c>1m</c>, <c>1h</c>.</summary>
    public string? Window { get; set; }

    /// <summary><c>sliding_window</c> (default) or <c>token_bucket</c>.</summary>
    public string? Algorithm { get; set; }
}
