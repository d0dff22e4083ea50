using System.Globalization;

namespace Sharpbase.Protection;

/// <summary>Durations as written in settings: <c>500ms</c>, <c>30s</c>, <c>1m</c>, <c>2h</c>, <c>1d</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
        {
            digits++;
        }
        if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        double? milliseconds = span[digits..].ToString().ToLowerInvariant() switch
        {
            "ms" => value,
            "s" or "" => value * 1000,
            "m" => value * 60_000,
            "h" => value * 3_600_000,
            "d" => value * 86_400_000,
            _ => null,
        };
        if (milliseconds is not { } ms || ms <= 0 || ms > TimeSpan.FromDays(365).TotalMilliseconds)
        {
            return false;
        }
        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
