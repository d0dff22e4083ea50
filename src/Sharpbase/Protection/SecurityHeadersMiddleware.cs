using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sharpbase.Protection;

/// <summary>
/// Headers every response carries. They are written as the response starts, so a problem written
/// after a <c>Response.Clear()</c> has them too. Non-HTML responses get a CSP that allows nothing;
/// HTML pages set their own before they start.
/// </summary>
internal sealed class SecurityHeadersMiddleware
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string StrictTransportSecurity = "max-age=31536000";

    private readonly RequestDelegate _next;
    private readonly bool _cors;

    // One delegate for every request, with the request's context as its state (no state to box).
    private readonly Func<object, Task> _apply;

    public SecurityHeadersMiddleware(RequestDelegate next, ProtectionSettings settings)
    {
        _next = next;
        _cors = settings.Cors is not null;
        _apply = ApplyHeaders;
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_apply, context);
        return _next(context);
    }

    private Task ApplyHeaders(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (headers.ContentSecurityPolicy.Count == 0 && !IsHtml(context.Response.ContentType))
        {
            headers.ContentSecurityPolicy = ApiContentSecurityPolicy;
        }
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }
        // Answers differ by Origin once CORS is on, refused origins included; caches must know.
        if (_cors && !headers.Vary.Any(v => v is not null && v.Contains(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase)))
        {
            headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        }
        return Task.CompletedTask;
    }

    private static bool IsHtml(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
}
