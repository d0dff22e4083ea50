using Sharpbase.Schema;

namespace Sharpbase.Hosting;

/// <summary>
/// The schema's <c>settings:</c> section as configuration keys, each spelt as configuration reads it
/// (<see cref="SettingsSections.ConfigurationKey"/>: <c>mail:smtp_host</c> becomes <c>mail:smtphost</c>).
/// </summary>
public static class SettingsConfiguration
{
    /// <summary>The settings, keyed for configuration binding.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> From(AppSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Settings.Select(pair => new KeyValuePair<string, string?>(SettingsSections.ConfigurationKey(pair.Key), pair.Value));
    }
}
