using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sharpbase.Auth;
using Sharpbase.GraphQL;
using Sharpbase.Mail;
using Sharpbase.Protection;

namespace Sharpbase.Hosting;

/// <summary>
/// What the server would refuse in its settings when it starts, found without starting it, for
/// <c>schema validate</c> and the doctor: each section's values as its options bind them (a value
/// that does not convert) and as the server's own validation rules judge them, and the protection
/// settings as they compile. Unknown keys are <see cref="SettingsKeysValidation"/>'s, reported apart.
/// </summary>
public static class SettingsCheck
{
    /// <summary>Every problem found in <paramref name="configuration"/>'s settings, as the server would state it; empty when it would start.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddSharpbase();
        using var provider = services.BuildServiceProvider();
        var problems = new List<string>();
        Check(provider, () => Bound(configuration.GetSection("server"), new SharpbaseOptions(), static (section, o) => section.Bind(o)), problems);
        Check(provider, () => Bound(configuration.GetSection("auth"), new AuthOptions(), static (section, o) => section.Bind(o)), problems);
        Check(provider, () => Bound(configuration.GetSection("mail"), new MailOptions(), static (section, o) => section.Bind(o)), problems);
        Check(provider, () => Bound(configuration.GetSection("superuser"), new SuperuserSeed(), static (section, o) => section.Bind(o)), problems);
        Check(provider, () => Bound(configuration.GetSection("graphql"), new GraphQLOptions(), static (section, o) => section.Bind(o)), problems);
        try
        {
            var protection = new ProtectionOptions();
            configuration.Bind(protection);
            ProtectionSettings.Compile(protection);
        }
        catch (Exception e) when (e is SharpbaseStartupException or InvalidOperationException)
        {
            problems.Add(e.Message);
        }
        return problems;
    }

    private static T Bound<T>(IConfigurationSection section, T options, Action<IConfigurationSection, T> bind)
    {
        bind(section, options);
        return options;
    }

    // The rules the server registered for these options, but the unknown-keys one.
    private static void Check<T>(ServiceProvider provider, Func<T> bound, List<string> problems) where T : class
    {
        T options;
        try
        {
            options = bound();
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message);
            return;
        }
        foreach (var validator in provider.GetServices<IValidateOptions<T>>().Where(v => v is not SettingsKeysValidator<T>))
        {
            if (validator.Validate(Options.DefaultName, options) is { Failed: true } result)
            {
                problems.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }
    }
}
