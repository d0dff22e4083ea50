namespace Sharpbase.Schema;

/// <summary>
/// The sections the schema's <c>settings:</c> may hold (DESIGN §2), and how configuration spells a
/// settings key: the file writes snake_case (<c>mail: { smtp_host: … }</c>), configuration binds to
/// PascalCase properties (<c>SmtpHost</c>) case-insensitively, so a key loses its underscores
/// (<c>mail:smtphost</c>, or <c>SHARPBASE__MAIL__SMTPHOST</c> in the environment).
/// </summary>
public static class SettingsSections
{
    /// <summary>What every environment variable that configures Sharpbase starts with (<c>SHARPBASE__SERVER__MAXPAGESIZE</c>).</summary>
    public const string EnvironmentPrefix = "SHARPBASE__";

    /// <summary>The section names, as the file spells them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "database", "redis", "server", "auth", "mail", "superuser", "docs", "graphql", "metrics", "logging",
        "rate_limits", "trusted_proxies", "forwarded_header", "cors", "request_timeout",
    ];

    /// <summary>The key as configuration reads it: without its underscores.</summary>
    public static string ConfigurationKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace("_", "", StringComparison.Ordinal);
    }

    /// <summary>True when the file's key names a section, spelt as configuration would read it (any case, any underscores).</summary>
    public static bool Contains(string key) =>
        Names.Any(name => string.Equals(ConfigurationKey(name), ConfigurationKey(key), StringComparison.OrdinalIgnoreCase));
}
