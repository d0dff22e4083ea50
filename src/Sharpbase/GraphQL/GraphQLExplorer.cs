using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Sharpbase.GraphQL;

/// <summary>
/// The explorer page for browsers: a self-contained page embedded in the assembly (no scripts or
/// styles from elsewhere), allowed to run only its own inline code by a per-response nonce.
/// </summary>
internal static class GraphQLExplorer
{
    private static readonly string Page = Load();

    public static async Task WriteAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        await response.WriteAsync(Page.Replace("{{nonce}}", nonce, StringComparison.Ordinal), context.RequestAborted);
    }

    private static string Load()
    {
        using var stream = typeof(GraphQLExplorer).Assembly.GetManifestResourceStream("Sharpbase.GraphQL.explorer.html")
            ?? throw new InvalidOperationException("the explorer page is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
