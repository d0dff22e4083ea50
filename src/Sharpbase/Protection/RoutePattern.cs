namespace Sharpbase.Protection;

/// <summary>
/// <c>METHOD /pattern</c>: the method is optional (<c>*</c> or absent: any; <c>GET</c> also covers
/// <c>HEAD</c>); in the pattern <c>*</c> as a segment matches one segment, and as the last
/// segment any rest, including none (<c>/auth/*</c> matches <c>/auth</c> and <c>/auth/login</c>).
/// </summary>
internal sealed record RoutePattern(string? Method, string[] Segments, bool AnyRest)
{
    public static bool TryParse(string? text, out RoutePattern pattern)
    {
        pattern = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2)
        {
            return false;
        }
        var method = parts.Length == 2 ? parts[0].ToUpperInvariant() : null;
        var path = parts[^1];
        if (!path.StartsWith('/') || (method is not null && !method.All(char.IsAsciiLetter) && method != "*"))
        {
            return false;
        }
        var segments = RequestPath.Normalize(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var anyRest = segments.Length > 0 && segments[^1] == "*";
        pattern = new RoutePattern(method == "*" ? null : method, anyRest ? segments[..^1] : segments, anyRest);
        return true;
    }

    /// <summary>Whether a request matches; <paramref name="path"/> must be normalized (<see cref="RequestPath"/>).</summary>
    public bool Matches(string method, string path)
    {
        if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)
            && !(Method == "GET" && string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        var rest = path.AsSpan(1);
        foreach (var segment in Segments)
        {
            if (rest.IsEmpty)
            {
                return false;
            }
            var slash = rest.IndexOf('/');
            var current = slash < 0 ? rest : rest[..slash];
            if (segment != "*" && !current.SequenceEqual(segment))
            {
                return false;
            }
            rest = slash < 0 ? [] : rest[(slash + 1)..];
        }
        return AnyRest || rest.IsEmpty;
    }
}
