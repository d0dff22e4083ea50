using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sharpbase.GraphQL;

/// <summary>
/// GraphiQL for browsers. Its scripts and styles (graphiql/, see NOTICE.md there) are embedded in
/// the assembly and served from <c>/graphql/assets/{version}/</c>, so the page needs no network
/// beyond this server; the policy lets only those files and the page's own nonce-tagged start-up
/// script run. Each file is compressed once (Brotli, else gzip) on first request and kept, since
/// the explorer's script is megabytes.
/// </summary>
internal static class GraphQLExplorer
{
    public const string Version = "3.8.3";
    public const string AssetsPrefix = "/graphql/assets/" + Version;

    private static readonly string Page = Load("Sharpbase.GraphQL.explorer.html").Replace("{{assets}}", AssetsPrefix, StringComparison.Ordinal);

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["graphiql.min.js"] = ("Sharpbase.GraphQL.graphiql.graphiql.min.js", "text/javascript; charset=utf-8"),
        ["graphiql.min.css"] = ("Sharpbase.GraphQL.graphiql.graphiql.min.css", "text/css; charset=utf-8"),
        ["react.production.min.js"] = ("Sharpbase.GraphQL.graphiql.react.production.min.js", "text/javascript; charset=utf-8"),
        ["react-dom.production.min.js"] = ("Sharpbase.GraphQL.graphiql.react-dom.production.min.js", "text/javascript; charset=utf-8"),
    };

    private static readonly ConcurrentDictionary<(string File, string Encoding), Lazy<byte[]>> Encoded = new();

    public static async Task WriteAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        // GraphiQL's editor sets style attributes, hence 'unsafe-inline' for styles only.
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        await response.WriteAsync(Page.Replace("{{nonce}}", nonce, StringComparison.Ordinal), context.RequestAborted);
    }

    /// <summary>One of the page's files, cached for a year (the version is in the path), compressed when the client accepts it.</summary>
    public static IResult Asset(string version, string file, HttpContext context, GraphQLService graphql)
    {
        if (!graphql.Options.Explorer || version != Version || !Assets.TryGetValue(file, out var asset))
        {
            return Errors.Problem.NotFound("no such explorer file");
        }
        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.Vary = "Accept-Encoding";
        var encoding = Preferred(context.Request);
        if (encoding != "identity")
        {
            headers.ContentEncoding = encoding;
        }
        var bytes = Encoded.GetOrAdd((file, encoding), static key => new Lazy<byte[]>(() => Encode(Assets[key.File].Resource, key.Encoding))).Value;
        return Results.Bytes(bytes, asset.ContentType, entityTag: new EntityTagHeaderValue("\"" + Version + "-" + file + "-" + encoding + "\""));
    }

    // Brotli when accepted, else gzip, else the file as it is; "q=0" refuses an encoding.
    private static string Preferred(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        bool Accepts(string name) => accepted.Any(a => a.Value.Equals(name, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
        return Accepts("br") ? "br" : Accepts("gzip") ? "gzip" : "identity";
    }

    private static byte[] Encode(string resource, string encoding)
    {
        using var source = typeof(GraphQLExplorer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("an explorer file is missing from the assembly");
        using var buffer = new MemoryStream();
        if (encoding == "identity")
        {
            source.CopyTo(buffer);
        }
        else
        {
            using Stream target = encoding == "br"
                ? new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true)
                : new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true);
            source.CopyTo(target);
        }
        return buffer.ToArray();
    }

    private static string Load(string resource)
    {
        using var stream = typeof(GraphQLExplorer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("the explorer page is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
