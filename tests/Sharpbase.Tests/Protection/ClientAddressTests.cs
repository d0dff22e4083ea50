using System.Net;
using Microsoft.AspNetCore.Http;
using Sharpbase.Protection;

namespace Sharpbase.Tests.Protection;

public sealed class ClientAddressTests
{
    private static TrustedProxies Proxies(bool forwarded, params string[] networks) =>
        new(networks.Select(n => TrustedProxies.TryParseNetwork(n, out var network) ? network : throw new ArgumentException(n)).ToList(), forwarded);

    [Theory]
    // peer, header, value, expected (no proxies trusted: the peer, whatever the headers say)
    [InlineData("192.0.2.10", "X-Forwarded-For", "203.0.113.1", "192.0.2.10")]
    [InlineData("192.0.2.10", "Forwarded", "for=203.0.113.1", "192.0.2.10")]
    [InlineData("192.0.2.10", "X-Real-IP", "203.0.113.1", "192.0.2.10")]
    public void Resolve_UntrustedPeer_IsTheClient(string peer, string header, string value, string expected)
    {
        var headers = new HeaderDictionary { [header] = value };

        var client = ClientAddress.Resolve(IPAddress.Parse(peer), headers, Proxies(false, "10.0.0.0/8"));

        Assert.Equal(IPAddress.Parse(expected), client);
    }

    [Theory]
    [InlineData(false, "X-Forwarded-For", "203.0.113.1", "203.0.113.1")]
    [InlineData(false, "X-Forwarded-For", "198.51.100.1, 203.0.113.1, 10.0.0.2", "203.0.113.1")]
    [InlineData(false, "X-Forwarded-For", "garbage, 10.0.0.2", "10.0.0.2")]
    [InlineData(false, "X-Forwarded-For", "10.0.0.3", "10.0.0.3")]
    [InlineData(false, "X-Forwarded-For", "[2001:db8::1]:4711", "2001:db8::1")]
    [InlineData(false, "X-Forwarded-For", "203.0.113.1:8080", "203.0.113.1")]
    [InlineData(false, "Forwarded", "for=198.51.100.1", "10.0.0.1")]
    [InlineData(true, "Forwarded", "for=198.51.100.1;proto=https, for=\"[2001:db8::7]:80\"", "2001:db8::7")]
    [InlineData(true, "Forwarded", "for=198.51.100.1, for=10.0.0.9", "198.51.100.1")]
    [InlineData(true, "X-Forwarded-For", "198.51.100.1", "10.0.0.1")]
    [InlineData(true, "X-Real-IP", "198.51.100.1", "10.0.0.1")]
    public void Resolve_TrustedPeer_TakesTheRightMostUntrustedHop(bool forwarded, string header, string value, string expected)
    {
        var headers = new HeaderDictionary { [header] = value };

        var client = ClientAddress.Resolve(IPAddress.Parse("10.0.0.1"), headers, Proxies(forwarded, "10.0.0.0/8"));

        Assert.Equal(IPAddress.Parse(expected), client);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    public void PartitionKey_IPv6_IsItsSlash64(string address, string key) =>
        Assert.Equal(key, ClientAddress.PartitionKey(IPAddress.Parse(address)));

    [Theory]
    [InlineData("/AUTH/Login/", "/auth/login")]
    [InlineData("//auth///login", "/auth/login")]
    [InlineData("/auth%2flogin", "/auth/login")]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("auth/login", "/auth/login")]
    [InlineData("/auth/login/", "/auth/login")]
    [InlineData("/api/Ärger/x", "/api/ärger/x")]
    [InlineData("/a%2Fb%20c", "/a/b%20c")]
    [InlineData("/auth/login", "/auth/login")]
    public void Normalize_Variants_AreOnePath(string path, string normalized) =>
        Assert.Equal(normalized, RequestPath.Normalize(path));

    [Fact]
    public void Normalize_NormalPath_IsReturnedAsItIs()
    {
        var path = "/api/posts/000003e9-0000-7000-8000-0000000003e9";

        Assert.Same(path, RequestPath.Normalize(path));
    }

    [Fact]
    public void Normalize_AnyPath_GivesANormalPathThatNormalizesToItself()
    {
        var random = new Random(20261126);
        char[] alphabet = ['/', '/', 'a', 'B', '%', '2', 'f', 'F', 'é', 'Ä', '.'];
        for (var n = 0; n < 5000; n++)
        {
            var path = new string(Enumerable.Range(0, random.Next(0, 14)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            var normalized = RequestPath.Normalize(path);

            Assert.StartsWith("/", normalized, StringComparison.Ordinal);
            Assert.DoesNotContain("//", normalized, StringComparison.Ordinal);
            Assert.True(normalized == "/" || !normalized.EndsWith('/'), $"'{path}' gave '{normalized}'");
            Assert.Equal(normalized.ToLowerInvariant(), normalized);
            Assert.Equal(normalized, RequestPath.Normalize(normalized));
            Assert.Equal(normalized, RequestPath.Normalize(path.ToUpperInvariant().Replace("/", "//", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData("POST /auth/*", "POST", "/auth/login", true)]
    [InlineData("POST /auth/*", "POST", "/auth", true)]
    [InlineData("POST /auth/*", "GET", "/auth/login", false)]
    [InlineData("POST /auth/*", "POST", "/authx/login", false)]
    [InlineData("/api/*/records", "DELETE", "/api/posts/records", true)]
    [InlineData("/api/*/records", "DELETE", "/api/posts/x/records", false)]
    [InlineData("GET /api/posts", "HEAD", "/api/posts", true)]
    [InlineData("POST /api/posts", "POST", "/api/posts/1", false)]
    [InlineData("* /*", "PUT", "/anything/at/all", true)]
    public void RoutePattern_Match(string pattern, string method, string path, bool matches)
    {
        Assert.True(RoutePattern.TryParse(pattern, out var route));
        Assert.Equal(matches, route.Matches(method, path));
    }
}
