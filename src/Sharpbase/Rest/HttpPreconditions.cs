using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Sharpbase.Records;

namespace Sharpbase.Rest;

/// <summary>ETags of records (<c>"version"</c>) and the parsing of If-Match / If-None-Match.</summary>
internal static class HttpPreconditions
{
    /// <summary>Weak comparison of an If-None-Match header with a list's ETag (<c>*</c> matches).</summary>
    public static bool MatchesWeak(StringValues header, string etag)
    {
        var opaque = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        foreach (var value in header)
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part == "*" || (part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part) == opaque)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The preconditions of a PATCH or DELETE: If-Match compared strongly, If-None-Match weakly (as
    /// RFC 9110 requires of each); null when the request has neither.
    /// </summary>
    public static WritePreconditions? ForWrite(IHeaderDictionary headers) =>
        WritePreconditions.Of(Parse(headers.IfMatch, allowWeak: false), Parse(headers.IfNoneMatch, allowWeak: true));

    public static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// Parses a precondition header; null when absent. Weak tags are kept only for If-None-Match
    /// (weak comparison); for If-Match they never match, as RFC 9110 requires.
    /// </summary>
    public static ETagCondition? Parse(StringValues header, bool allowWeak)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return null;
        }
        var versions = new List<long>();
        foreach (var value in header)
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part == "*")
                {
                    return new ETagCondition(true, []);
                }
                var tag = part;
                if (tag.StartsWith("W/", StringComparison.Ordinal))
                {
                    if (!allowWeak)
                    {
                        continue;
                    }
                    tag = tag[2..];
                }
                if (tag.Length >= 3 && tag[0] == '"' && tag[^1] == '"'
                    && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    versions.Add(version);
                }
            }
        }
        return new ETagCondition(false, versions);
    }
}
