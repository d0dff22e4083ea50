using Microsoft.Extensions.Configuration;
using Sharpbase.Auth;
using Sharpbase.Hosting;
using Sharpbase.Protection;

namespace Sharpbase.Tests.Hosting;

public sealed class SettingsShapeTests
{
    private static readonly SettingsShape Auth = SettingsShape.Of<AuthOptions>(("Jwt", SettingsShape.Of<JwtOptions>()), ("Password", SettingsShape.Of<PasswordOptions>()));

    [Fact]
    public void Check_KeysEveryPropertyReads_InAnyCaseAndWithUnderscores_ReportsNothing()
    {
        var errors = Check(Auth, "auth", new()
        {
            ["auth:publicurl"] = "https://example.com",
            ["auth:FailuresBeforeLock"] = "10",
            ["auth:jwt:access_token_lifetime"] = "00:05:00",
            ["auth:JWT:KEYS:0"] = "{}",
            ["auth:jwt:keys:1"] = "{}",
            ["auth:password:memory_kib"] = "20000",
        });

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_UnknownKeys_NamesEachWithTheSettingItProbablyMeant()
    {
        var errors = Check(Auth, "auth", new()
        {
            ["auth:publicurl"] = "https://example.com",
            ["auth:failures_before_lok"] = "10",
            ["auth:jwt:accesstokenlife"] = "00:05:00",
            ["auth:password:entirely_unrelated"] = "1",
        });

        Assert.Equal(
        [
            "unknown setting 'auth:failures_before_lok' (did you mean auth.failures_before_lock, or SHARPBASE__AUTH__FAILURESBEFORELOCK?); auth holds: "
                + "app_name, failures_before_delay, failures_before_lock, failures_per_address, jwt, mfa_token_lifetime, password, public_url, refresh_token_lifetime, "
                + "reset_path, reset_token_lifetime, throttle_window, verify_path, verify_token_lifetime",
            "unknown setting 'auth:jwt:accesstokenlife' (did you mean auth.jwt.access_token_lifetime, or SHARPBASE__AUTH__JWT__ACCESSTOKENLIFETIME?); auth.jwt holds: "
                + "access_token_lifetime, algorithm, audience, clock_skew, issuer, keys",
            "unknown setting 'auth:password:entirely_unrelated'; auth.password holds: iterations, max_concurrent_hashes, max_length, memory_ki_b, min_length, parallelism, queue_timeout",
        ], errors);
    }

    [Fact]
    public void Check_ValueGivenAsASection_AndListGivenKeys_AreReported()
    {
        var errors = Check(SettingsShape.Of<CorsSettings>(), "cors", new()
        {
            ["cors:credentials:enabled"] = "true",
            ["cors:origins:first"] = "https://a.example.com",
            ["cors:origins:0"] = "https://b.example.com",
        });

        Assert.Equal(
        [
            "'cors:credentials' takes a single value, not a section or a list ('cors:credentials:enabled' given)",
            "'cors:origins' is a list: 'cors:origins:first' is not one of its items",
        ], errors);
    }

    [Fact]
    public void Check_SingleValueWhereAListOrSectionBelongs_IsReported()
    {
        var proxies = Check(SettingsShape.ListOf(SettingsShape.Scalar), "trusted_proxies", new() { ["trustedproxies"] = "10.0.0.1" }, section: "trustedproxies");
        var cors = Check(SettingsShape.Of<CorsSettings>(), "cors", new() { ["cors"] = "https://app.example.com" });
        var empty = Check(SettingsShape.Of<CorsSettings>(), "cors", new() { ["cors"] = "" });

        Assert.Equal(["'trustedproxies' is a list, not a single value: give its items (trusted_proxies: [ … ], or SHARPBASE__TRUSTEDPROXIES__0 for the first)"], proxies);
        Assert.Equal(["'cors' is a section, not a single value: give its settings by name"], cors);
        Assert.Empty(empty);
    }

    [Fact]
    public void Check_ListOfSections_ChecksEveryItem()
    {
        var errors = Check(SettingsShape.ListOf(SettingsShape.Of<RateLimitSettings>()), "rate_limits", new()
        {
            ["ratelimits:0:name"] = "api",
            ["ratelimits:0:routes:0"] = "GET /api/*",
            ["ratelimits:1:name"] = "auth",
            ["ratelimits:1:per_ip"] = "true",
        }, section: "ratelimits");

        var error = Assert.Single(errors);
        Assert.StartsWith("unknown setting 'ratelimits:1:per_ip' (did you mean rate_limits[1].per, or SHARPBASE__RATELIMITS__1__PER?)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_RemovesPropertiesTheHostSets()
    {
        var errors = Check(SettingsShape.Of<SharpbaseOptions>().Without(nameof(SharpbaseOptions.PublicUrl)), "server", new()
        {
            ["server:publicurl"] = "https://example.com",
            ["server:maxpagesize"] = "50",
        });

        var error = Assert.Single(errors);
        Assert.StartsWith("unknown setting 'server:publicurl'; server holds: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("public_url", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeys_Logging_TakesAnyCategoryAndConsoleOption_ButNoOtherSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["logging:loglevel:default"] = "Warning",
            ["logging:LogLevel:Sharpbase.Rest"] = "Debug",
            ["logging:console:formattername"] = "simple",
            ["logging:levels:default"] = "Debug",
        }).Build();

        var error = Assert.Single(SettingsKeysValidation.UnknownKeys(configuration));
        Assert.Equal("unknown setting 'logging:levels'; logging holds: console, log_level", error);
    }

    private static List<string> Check(SettingsShape shape, string fileName, Dictionary<string, string?> values, string? section = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var errors = new List<string>();
        shape.Check(configuration.GetSection(section ?? fileName), fileName, errors);
        return errors;
    }
}
