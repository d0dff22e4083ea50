using Microsoft.Extensions.Configuration;
using Sharpbase.Hosting;
using Sharpbase.Protection;

namespace Sharpbase.Admin;

/// <summary>Unknown and invalid settings, rate limits on sign-in and on GraphQL beside REST, CORS, trusted proxies, and public docs and introspection in production.</summary>
internal static class ProtectionChecks
{
    private static readonly (string Method, string Path)[] AuthRoutes = [("POST", "/auth/login"), ("POST", "/auth/register"), ("POST", "/auth/password/forgot")];

    public static void Add(AdvisorInput input, List<Finding> findings)
    {
        foreach (var unknown in SettingsKeysValidation.UnknownKeys(input.Configuration))
        {
            findings.Add(new Finding("unknown-setting", Finding.Error, "A settings key is read by nothing; the server will not start", unknown,
                "Correct or remove the key named in the evidence (in the schema file's settings: or its SHARPBASE__ environment variable)."));
        }
        foreach (var problem in SettingsCheck.Problems(input.Configuration))
        {
            findings.Add(new Finding("invalid-settings", Finding.Error, "A setting is invalid; the server will not start", problem, "Correct the setting named in the evidence."));
        }
        var options = new ProtectionOptions();
        ProtectionSettings settings;
        try
        {
            input.Configuration.Bind(options);
            settings = ProtectionSettings.Compile(options);
        }
        catch (Exception e) when (e is SharpbaseStartupException or InvalidOperationException)
        {
            return; // reported above
        }
        var open = AuthRoutes.Where(route => !Covered(settings, route.Method, route.Path)).ToList();
        if (open.Count > 0)
        {
            findings.Add(new Finding("auth-rate-limit", Finding.Error, "Sign-in and sign-up have no rate limit",
                $"no rate_limits policy covers {string.Join(", ", open.Select(r => r.Method + " " + r.Path))} (configured policies replace the defaults)",
                "Add to settings.rate_limits: { name: auth, routes: [\"POST /auth/*\"], per: ip, limit: 10, window: 1m }"));
        }
        if (input.Schema.Collections.FirstOrDefault(c => Covered(settings, "POST", "/api/" + c.Name)) is { } limited && !Covered(settings, "POST", "/graphql"))
        {
            findings.Add(new Finding("graphql-rate-limit", Finding.Warning, "Writes over REST are rate-limited, but not over GraphQL",
                $"a rate_limits policy covers POST /api/{limited.Name}, but none covers POST /graphql, where mutations make the same writes (configured policies replace the defaults)",
                "Add \"POST /graphql\" to that policy's routes, or a policy of its own: { name: graphql, routes: [\"POST /graphql\"], per: user, limit: 300, window: 1m }"));
        }
        if (options.Cors.Origins.Any(o => o.Trim() == "*"))
        {
            findings.Add(new Finding("cors-wildcard", Finding.Warning, "CORS allows every origin",
                "settings.cors.origins contains \"*\": any web page can call the API from its visitors' browsers",
                "List the origins of your apps: cors: { origins: [\"https://app.example.com\"] }"));
        }
        if (options.TrustedProxies.FirstOrDefault(IsWide) is { } wide)
        {
            findings.Add(new Finding("trusted-proxies-wide", Finding.Warning, "Trusted proxies cover a wide range of the internet",
                $"settings.trusted_proxies contains {wide}: any client with an address in it is believed when it names its own address in a forwarding header, "
                + "so it can choose its rate-limit bucket and the address the log records",
                "List only the addresses of your own proxies or load balancers, e.g. trusted_proxies: [\"10.0.0.5\"] or a private range such as \"10.0.0.0/8\"."));
        }
        if (input.DevMode)
        {
            return;
        }
        if (SwitchedOn(input, "docs:enabled"))
        {
            findings.Add(new Finding("public-docs", Finding.Warning, "The API reference is public in production",
                "settings.docs.enabled is true: /openapi.json and /docs describe every collection, field and route to anyone",
                "Set settings.docs.enabled: false in production, or serve the docs only in development (--dev)."));
        }
        if (SwitchedOn(input, "graphql:introspection"))
        {
            findings.Add(new Finding("public-introspection", Finding.Warning, "GraphQL introspection is public in production",
                "settings.graphql.introspection is true: anyone can read the whole GraphQL schema",
                "Remove settings.graphql.introspection (it is off in production by default) or set it to false."));
        }
    }

    private static bool Covered(ProtectionSettings settings, string method, string path) =>
        settings.Policies.Any(p => p.Routes.Any(r => r.Matches(method, path)));

    // A range larger than a /8 of IPv4 or a /16 of IPv6 is no proxy fleet: it is (part of) the internet.
    private static bool IsWide(string text) =>
        TrustedProxies.TryParseNetwork(text, out var network)
        && network.PrefixLength < (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 8 : 16);

    // Only an explicit switch counts: introspection is off in production unless configured on.
    private static bool SwitchedOn(AdvisorInput input, string key) => bool.TryParse(input.Configuration[key], out var on) && on;
}
