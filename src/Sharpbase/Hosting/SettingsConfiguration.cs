using System.Text;
using Sharpbase.Schema;

namespace Sharpbase.Hosting;

/// <summary>
/// The schema's <c>settings:</c> section as configuration keys. The file uses snake_case
/// (<c>mail: { smtp_host: … }</c>); configuration binds to PascalCase properties (<c>SmtpHost</c>)
/// case-insensitively, so each key segment loses its underscores: <c>mail:smtphost</c>. Environment
/// variables spell the same keys without underscores (<c>SHARPBASE__MAIL__SMTPHOST</c>).
/// </summary>
public static class SettingsConfiguration
{
    /// <summary>The settings, keyed for configuration binding.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> From(AppSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Settings.Select(pair => new KeyValuePair<string, string?>(Key(pair.Key), pair.Value));
    }

    internal static string Key(string key)
    {
        var builder = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (c != '_')
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
