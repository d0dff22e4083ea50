using System.Collections;
using Sharpbase.Schema;

namespace Sharpbase.Cli;

/// <summary>
/// Environment variables <c>SHARPBASE__X…</c> whose section <c>X</c> is no setting: configuration
/// would hold them and nothing would read them, so a misspelt one (<c>SHARPBASE__TRUSTED_PROXIES__0</c>
/// for <c>SHARPBASE__TRUSTEDPROXIES__0</c>) would silently not apply. Each is logged as a warning with
/// its name (never its value) and the name it probably meant.
/// </summary>
internal static partial class UnknownSettings
{
    // Read by the command line itself rather than from a settings section.
    private static readonly string[] CommandLineNames = ["SCHEMA", "DATA", "HTTP", "DEV", "TOKEN"];

    private static readonly string[] Sections = [.. CommandLineNames, .. SettingsSections.Names.Select(name => SettingsSections.ConfigurationKey(name).ToUpperInvariant())];

    public static void Warn(ILogger logger, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in environment.Keys.OfType<string>().Where(n => n.StartsWith(SettingsSections.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var rest = name[SettingsSections.EnvironmentPrefix.Length..];
            var end = rest.IndexOf("__", StringComparison.Ordinal);
            var section = end < 0 ? rest : rest[..end];
            if (!Sections.Contains(section, StringComparer.OrdinalIgnoreCase))
            {
                NamesNoSetting(logger, name, Suggestion(section, end < 0 ? "" : rest[end..]));
            }
        }
    }

    private static string Suggestion(string section, string rest)
    {
        var withoutUnderscores = SettingsSections.ConfigurationKey(section).ToUpperInvariant();
        var meant = Sections.Contains(withoutUnderscores, StringComparer.Ordinal) ? withoutUnderscores : NameSuggestions.Closest(section.ToUpperInvariant(), Sections);
        return meant is null ? "" : $" (did you mean {SettingsSections.EnvironmentPrefix}{meant}{rest}?)";
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The environment variable {Name} names no setting, so nothing reads it{Suggestion}")]
    private static partial void NamesNoSetting(ILogger logger, string name, string suggestion);
}
