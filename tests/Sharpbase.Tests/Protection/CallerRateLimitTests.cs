using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthTestAccounts;
using static Sharpbase.Tests.Protection.ProtectionServers;

namespace Sharpbase.Tests.Protection;

public abstract class CallerRateLimitTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Settings = """
        settings:
          rate_limits:
            - { name: writes, routes: ["POST /api/*"], per: user, limit: 2, window: 1m }
            - { name: keys, routes: ["GET /api/notes"], per: api_key, limit: 2, window: 1m }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync<TDatabase>(Settings, new ManualTime());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PerUser_OneUserExhausted_OthersAndAnonymousStillServed()
    {
        var alice = await UserAsync(_server, "users", "alice@example.com");
        var bob = await UserAsync(_server, "users", "bob@example.com");
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await _server.PostAsync("/api/posts", """{"title":"a"}""", alice.Bearer);
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
            Assert.Equal($"\"writes\";r={1 - i};t=60", Header(allowed, "RateLimit"));
        }
        using (var limited = await _server.PostAsync("/api/posts", """{"title":"a"}""", alice.Bearer))
        {
            await AssertLimitedAsync(limited, "writes");
        }

        using var other = await _server.PostAsync("/api/posts", """{"title":"b"}""", bob.Bearer);
        using var anonymous = await _server.PostAsync("/api/posts", """{"title":"c"}""");

        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(HttpStatusCode.Created, anonymous.StatusCode);
    }

    [Fact]
    public async Task PerApiKey_OneKeyExhausted_AnotherKeyOfTheSameAccountStillServed()
    {
        var root = await SuperuserAsync(_server);
        var first = await CreateKeyAsync(root, "one");
        var second = await CreateKeyAsync(root, "two");
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await _server.GetAsync("/api/notes", Bearer(first));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var limited = await _server.GetAsync("/api/notes", Bearer(first)))
        {
            await AssertLimitedAsync(limited, "keys");
        }

        using var otherKey = await _server.GetAsync("/api/notes", Bearer(second));
        using var token = await _server.GetAsync("/api/notes", root.Bearer);

        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    private async Task<string> CreateKeyAsync(TestAccount account, string name)
    {
        using var response = await _server.PostAsync("/auth/api-keys", JsonSerializer.Serialize(new { name }), account.Bearer);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("key").GetString()!;
    }
}

public sealed class CallerRateLimitTestsOnSqlite : CallerRateLimitTests<Sqlite>;

public sealed class CallerRateLimitTestsOnPostgres : CallerRateLimitTests<Postgres>;
