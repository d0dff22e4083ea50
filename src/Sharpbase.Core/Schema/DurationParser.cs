using System.Globalization;
using System.Text.RegularExpressions;

namespace Sharpbase.Schema;

/// <summary>Parses durations written as a whole number and a unit: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
internal static partial class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Syntax().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        var unitTicks = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => TimeSpan.TicksPerDay,
        };
        if (amount > TimeSpan.MaxValue.Ticks / unitTicks)
        {
            return false;
        }
        duration = TimeSpan.FromTicks(amount * unitTicks);
        return true;
    }

    [GeneratedRegex("^([0-9]{1,18})(ms|s|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
