using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

/// <summary>
/// The pages behind the mail links are static HTML with a per-response nonce: no inline code runs
/// without it, nothing loads from elsewhere, and the server never sees the token (it is in the
/// fragment). The browser walk-through is tests/suites/auth-pages.sh.
/// </summary>
public abstract class AuthPagesTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/auth/verify", "Confirm my address")]
    [InlineData("/auth/password/reset", "Change my password")]
    public async Task Page_IsHtmlWithANoncePolicyThatAllowsOnlyItselfAndThisServer(string path, string button)
    {
        using var first = await _server.GetAsync(path);
        using var second = await _server.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType!.MediaType);
        var html = await first.Content.ReadAsStringAsync();
        Assert.Contains(button, html, StringComparison.Ordinal);
        var policy = first.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; script-src 'nonce-", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.NotEqual(policy, second.Headers.GetValues("Content-Security-Policy").Single());
        var nonce = policy.Split("'nonce-")[1].Split('\'')[0];
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.Equal("no-store", first.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", first.Headers.GetValues("Referrer-Policy").Single());
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithATokenInTheQueryString_IsRefusedLikeEveryCredentialInAUrl()
    {
        using var response = await _server.GetAsync("/auth/verify?token=abc");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("invalid_request", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}

public sealed class AuthPagesTestsOnSqlite : AuthPagesTests<Sqlite>;

public sealed class AuthPagesTestsOnPostgres : AuthPagesTests<Postgres>;
