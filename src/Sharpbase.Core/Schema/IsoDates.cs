using System.Globalization;
using System.Text.RegularExpressions;

namespace Sharpbase.Schema;

/// <summary>ISO 8601 dates (<c>2024-01-31</c>) and instants (<c>2024-01-31T12:00:00Z</c>), always in UTC.</summary>
internal static partial class IsoDates
{
    public static bool TryParseDate(string text, out DateTime date)
    {
        var ok = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        date = DateTime.SpecifyKind(date, DateTimeKind.Utc);
        return ok;
    }

    /// <summary>Parses an instant; a date alone means midnight UTC, and an instant without an offset is UTC.</summary>
    public static bool TryParseInstant(string text, out DateTime instant)
    {
        instant = default;
        if (!InstantSyntax().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        instant = parsed.UtcDateTime;
        return true;
    }

    public static string FormatDate(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatInstant(DateTime instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantSyntax();
}
