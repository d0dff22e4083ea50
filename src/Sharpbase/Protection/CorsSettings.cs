namespace Sharpbase.Protection;

/// <summary>Cross-origin access: <c>cors: { origins: [...], credentials, headers, methods, max_age }</c>.</summary>
public sealed class CorsSettings
{
    /// <summary>Origins allowed (<c>https://app.example.com</c>), or <c>*</c>. Default: none, so no cross-origin access.</summary>
    public List<string> Origins { get; } = [];

    /// <summary>Whether cookies and credentials may be sent; never together with <c>*</c>. Default: false.</summary>
    public bool Credentials { get; set; }

    /// <summary>Request headers allowed. Default: Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key.</summary>
    public List<string> Headers { get; } = [];

    /// <summary>Methods allowed. Default: GET, POST, PUT, PATCH, DELETE.</summary>
    public List<string> Methods { get; } = [];

    /// <summary>How long a browser may cache a preflight answer, e.g. <c>10m</c>. Default: 10 minutes.</summary>
    public string? MaxAge { get; set; }
}
