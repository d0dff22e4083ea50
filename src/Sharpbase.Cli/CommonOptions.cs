using System.CommandLine;
using Sharpbase.Schema;

namespace Sharpbase.Cli;

/// <summary>
/// Options shared by commands. Each falls back to configuration (<c>SHARPBASE__SCHEMA</c>,
/// <c>SHARPBASE__DATA</c>, …) and then to its default.
/// </summary>
internal static class CommonOptions
{
    public const string BundledExample = "examples/blog/sharpbase.yaml";

    public static Option<string?> Schema() => new("--schema") { Description = "The schema file (YAML or JSON). Default: ./sharpbase.yaml, else the bundled blog example." };

    public static Option<string?> Data() => new("--data") { Description = "The data folder (SQLite file and server state). Default: ./sb_data" };

    public static IConfiguration Environment() => new ConfigurationBuilder().AddEnvironmentVariables(SettingsSections.EnvironmentPrefix).Build();

    public static string ResolveSchema(string? given, IConfiguration configuration)
    {
        var explicitPath = given ?? configuration["SCHEMA"];
        // Kept as the user wrote it, so messages say `sharpbase.yaml:14:` rather than an absolute path.
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return explicitPath;
        }
        foreach (var candidate in new[] { "sharpbase.yaml", "sharpbase.yml", "sharpbase.json" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.Combine(AppContext.BaseDirectory, BundledExample);
    }

    public static string ResolveData(string? given, IConfiguration configuration) =>
        Path.GetFullPath(given ?? configuration["DATA"] ?? "sb_data");

    /// <summary>The database setting: SHARPBASE__DATABASE, else the schema's <c>settings.database</c>; null means the SQLite file.</summary>
    public static string? ResolveDatabase(Sharpbase.Schema.AppSchema schema, IConfiguration configuration) =>
        configuration["DATABASE"] is { Length: > 0 } database ? database : schema.Settings.GetValueOrDefault("database");
}
