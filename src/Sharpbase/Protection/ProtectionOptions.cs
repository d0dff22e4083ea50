namespace Sharpbase.Protection;

/// <summary>
/// The protection keys of the schema's <c>settings:</c> section (or <c>SHARPBASE__…</c> variables):
/// <c>rate_limits</c>, <c>trusted_proxies</c>, <c>forwarded_header</c>, <c>cors</c>,
/// <c>request_timeout</c>.
/// </summary>
public sealed class ProtectionOptions
{
    /// <summary>Rate-limit policies. Default: a global 600/min per IP and 10/min per IP on <c>POST /auth/*</c>.</summary>
    public List<RateLimitSettings> RateLimits { get; } = [];

    /// <summary>Addresses or CIDR ranges of reverse proxies whose forwarding headers are believed. Default: none.</summary>
    public List<string> TrustedProxies { get; } = [];

    /// <summary>Which header trusted proxies set: <c>x-forwarded-for</c> (default) or <c>forwarded</c>.</summary>
    public string? ForwardedHeader { get; set; }

    /// <summary>Cross-origin access. Default: none allowed.</summary>
    public CorsSettings Cors { get; } = new();

    /// <summary>How long a request may take before it is answered 503, e.g. <c>30s</c>. Default: 30 s.</summary>
    public string? RequestTimeout { get; set; }
}
