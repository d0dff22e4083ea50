using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Protection.ProtectionServers;

namespace Sharpbase.Tests.Protection;

/// <summary>The test client connects from 127.0.0.1, configured here as a trusted proxy.</summary>
public abstract class TrustedProxyTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Settings = """
        settings:
          trusted_proxies: ["127.0.0.1", "10.0.0.0/8"]
          rate_limits:
            - { name: auth, routes: ["POST /auth/*"], per: ip, limit: 2, window: 1m }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync<TDatabase>(Settings, new ManualTime());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> LoginFromAsync(string forwardedFor) =>
        _server.PostAsync("/auth/login", "{}", r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor));

    [Fact]
    public async Task ForwardedFor_FromTrustedProxy_PartitionsByClient()
    {
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await LoginFromAsync("203.0.113.1");
            AssertNotLimited(allowed);
        }
        using (var limited = await LoginFromAsync("203.0.113.1"))
        {
            await AssertLimitedAsync(limited, "auth");
        }

        using var other = await LoginFromAsync("203.0.113.2");

        AssertNotLimited(other);
    }

    [Fact]
    public async Task ForwardedFor_SpoofedLeftOfTheTrustedHop_IsIgnored()
    {
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await LoginFromAsync("203.0.113.7");
            AssertNotLimited(allowed);
        }

        // The client wrote the left entries; the proxy (10.1.1.1 then us) appended the right-most untrusted one.
        using var spoofed = await LoginFromAsync("198.51.100.1, 203.0.113.7, 10.1.1.1");

        await AssertLimitedAsync(spoofed, "auth");
    }

    [Fact]
    public async Task ForwardedFor_IPv6_PartitionsPerSlash64()
    {
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await LoginFromAsync($"2001:db8:1:2::{i + 1}");
            AssertNotLimited(allowed);
        }
        using (var sameNetwork = await LoginFromAsync("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        {
            await AssertLimitedAsync(sameNetwork, "auth");
        }

        using var otherNetwork = await LoginFromAsync("2001:db8:1:3::1");

        AssertNotLimited(otherNetwork);
    }
}

public sealed class TrustedProxyTestsOnSqlite : TrustedProxyTests<Sqlite>;

public sealed class TrustedProxyTestsOnPostgres : TrustedProxyTests<Postgres>;
