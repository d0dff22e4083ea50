using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sharpbase.Protection;

/// <summary>
/// The path a policy is matched on: lower-case, runs of slashes collapsed, no trailing slash, and
/// percent-decoded once. Kestrel has already decoded everything but <c>%2F</c> (and removed dot
/// segments), so only that is left to decode; case, <c>//</c> and a trailing slash must not be
/// ways around a limit.
/// </summary>
internal static class RequestPath
{
    private static readonly SearchValues<char> UpperCaseOrPercent = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ%");

    public static string Normalize(HttpRequest request) => Normalize(request.PathBase.Add(request.Path).Value);

    public static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }
        if (IsNormal(path))
        {
            return path;
        }
        var builder = new StringBuilder(path.Length + 1);
        builder.Append('/');
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && i + 2 < path.Length && path[i + 1] == '2' && (path[i + 2] is 'f' or 'F'))
            {
                c = '/';
                i += 2;
            }
            if (c == '/')
            {
                if (builder[^1] != '/')
                {
                    builder.Append('/');
                }
                continue;
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        if (builder.Length > 1 && builder[^1] == '/')
        {
            builder.Length--;
        }
        return builder.ToString();
    }

    // Most paths are normal already (a client's own lower-case routes and ids): those are returned as
    // they are, so that matching a request against the limits allocates nothing. The checks are
    // vectorised searches; a path outside ASCII is rebuilt by Normalize, which gives back an equal
    // string when it was normal (lower case stays lower case), at the cost of that allocation.
    private static bool IsNormal(string path) =>
        path[0] == '/' && (path.Length == 1 || path[^1] != '/') && Ascii.IsValid(path) && !path.AsSpan().ContainsAny(UpperCaseOrPercent)
        && !path.Contains("//", StringComparison.Ordinal);
}
