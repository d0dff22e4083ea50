using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sharpbase.Auth;
using Sharpbase.GraphQL;
using Sharpbase.Mail;
using Sharpbase.OpenApi;
using Sharpbase.Protection;
using Sharpbase.Schema;

namespace Sharpbase.Hosting;

/// <summary>
/// Fails the start (through <c>ValidateOnStart</c>, or when the options are first read) when a
/// settings section holds a key that nothing reads. Every settings section is checked whichever
/// options are validated first, so one start reports every unknown key at once.
/// </summary>
internal sealed class SettingsKeysValidator<TOptions>(IConfiguration configuration) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = SettingsKeysValidation.UnknownKeys(configuration);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>What each settings section may hold; registers <see cref="SettingsKeysValidator{TOptions}"/>.</summary>
internal static class SettingsKeysValidation
{
    // Given by the host (the command line's --schema, --data, --dev and --http, and the top-level
    // database setting): under server: they would be overwritten, so there they are unknown keys.
    private static readonly string[] HostSet =
        [nameof(SharpbaseOptions.SchemaPath), nameof(SharpbaseOptions.DataDirectory), nameof(SharpbaseOptions.DevMode), nameof(SharpbaseOptions.PublicUrl), nameof(SharpbaseOptions.Database)];

    // What each section of SettingsSections.Names holds, by the name the file gives it. Every name must
    // have its shape here: a section added there without one stops every start (and every test).
    private static readonly Dictionary<string, SettingsShape> Shapes = new(StringComparer.Ordinal)
    {
        ["server"] = SettingsShape.Of<SharpbaseOptions>().Without(HostSet),
        ["auth"] = SettingsShape.Of<AuthOptions>(("Jwt", SettingsShape.Of<JwtOptions>()), ("Password", SettingsShape.Of<PasswordOptions>())),
        ["mail"] = SettingsShape.Of<MailOptions>(),
        ["superuser"] = SettingsShape.Of<SuperuserSeed>(),
        ["docs"] = SettingsShape.Of<DocsOptions>(),
        ["graphql"] = SettingsShape.Of<GraphQLOptions>(),
        ["metrics"] = SettingsShape.Section(("Token", SettingsShape.Scalar)),
        // Levels by category (log_level: { default: Warning }) and the console's own options: the host's logging reads these two.
        ["logging"] = SettingsShape.Section(("LogLevel", SettingsShape.Any), ("Console", SettingsShape.Any)),
        ["rate_limits"] = SettingsShape.ListOf(SettingsShape.Of<RateLimitSettings>()),
        ["trusted_proxies"] = SettingsShape.ListOf(SettingsShape.Scalar),
        ["forwarded_header"] = SettingsShape.Scalar,
        ["cors"] = SettingsShape.Of<CorsSettings>(),
        ["request_timeout"] = SettingsShape.Scalar,
        ["database"] = SettingsShape.Scalar,
        ["redis"] = SettingsShape.Scalar,
    };

    /// <summary>A message for each key in a settings section of <paramref name="configuration"/> that nothing reads.</summary>
    public static List<string> UnknownKeys(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        foreach (var name in SettingsSections.Names)
        {
            Shapes[name].Check(configuration.GetSection(SettingsSections.ConfigurationKey(name)), name, errors);
        }
        return errors;
    }

    /// <summary>Checks every settings section's keys when <typeparamref name="TOptions"/> is validated.</summary>
    public static OptionsBuilder<TOptions> ValidateSettingsKeys<TOptions>(this OptionsBuilder<TOptions> builder) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>, SettingsKeysValidator<TOptions>>();
        return builder;
    }
}
