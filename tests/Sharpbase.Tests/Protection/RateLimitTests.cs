using System.Net;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Protection.ProtectionServers;

namespace Sharpbase.Tests.Protection;

public abstract class RateLimitTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Settings = """
        settings:
          rate_limits:
            - { name: auth,   routes: ["POST /auth/*"], per: ip, limit: 3, window: 1m }
            - { name: posts,  routes: ["POST /api/posts"], per: ip, limit: 2, window: 1m }
            - { name: notes,  routes: ["GET /api/notes"], per: ip, limit: 2, window: 10s, algorithm: token_bucket }
        """;

    private readonly ManualTime _time = new();
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync<TDatabase>(Settings, _time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> LoginAsync() => _server.PostAsync("/auth/login", "{}");

    [Fact]
    public async Task SlidingWindow_AfterLimit_RejectsExactlyTheNextRequestAndResetsAfterTheWindow()
    {
        for (var remaining = 2; remaining >= 0; remaining--)
        {
            using var allowed = await LoginAsync();
            AssertNotLimited(allowed);
            Assert.Equal("\"auth\";q=3;w=60", Header(allowed, "RateLimit-Policy"));
            Assert.Equal($"\"auth\";r={remaining};t={60 - (2 - remaining)}", Header(allowed, "RateLimit"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        _time.Advance(TimeSpan.FromSeconds(17));

        using (var rejected = await LoginAsync())
        {
            await AssertLimitedAsync(rejected, "auth");
            Assert.Equal("\"auth\";r=0;t=40", Header(rejected, "RateLimit"));
            Assert.Equal(TimeSpan.FromSeconds(40), rejected.Headers.RetryAfter!.Delta);
        }

        _time.Advance(TimeSpan.FromSeconds(40));
        using (var afterWindow = await LoginAsync())
        {
            AssertNotLimited(afterWindow);
            Assert.StartsWith("\"auth\";r=", Header(afterWindow, "RateLimit"));
        }
    }

    [Fact]
    public async Task TokenBucket_Empty_RejectsThenRefillsOverTheWindow()
    {
        for (var remaining = 1; remaining >= 0; remaining--)
        {
            using var allowed = await _server.GetAsync("/api/notes");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("\"notes\";q=2;w=10", Header(allowed, "RateLimit-Policy"));
            Assert.StartsWith($"\"notes\";r={remaining};", Header(allowed, "RateLimit"));
        }
        using (var rejected = await _server.GetAsync("/api/notes"))
        {
            await AssertLimitedAsync(rejected, "notes");
            Assert.Equal(TimeSpan.FromSeconds(5), rejected.Headers.RetryAfter!.Delta);
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        using (var refilled = await _server.GetAsync("/api/notes"))
        {
            Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
        }
        using var again = await _server.GetAsync("/api/notes");
        await AssertLimitedAsync(again, "notes");
    }

    [Theory]
    [InlineData("/AUTH/login")]
    [InlineData("//auth/login/")]
    [InlineData("/%61uth/login")]
    [InlineData("/auth//LOGIN")]
    [InlineData("/auth/login?utm=1")]
    [InlineData("/auth%2Flogin")]
    public async Task PathVariant_AfterLimit_CountsAgainstTheSamePolicy(string variant)
    {
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await _server.Client.SendAsync(Raw(_server, HttpMethod.Post, i == 0 ? variant : "/auth/login", "{}"));
            AssertNotLimited(allowed);
            Assert.Equal("\"auth\";q=3;w=60", Header(allowed, "RateLimit-Policy"));
        }

        using var rejected = await _server.Client.SendAsync(Raw(_server, HttpMethod.Post, variant, "{}"));

        await AssertLimitedAsync(rejected, "auth");
    }

    [Fact]
    public async Task CollectionWrites_DifferentBodiesAndQueries_ShareOneBucket()
    {
        using (var first = await _server.PostAsync("/api/posts", """{"title":"a"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal("\"posts\";r=1;t=60", Header(first, "RateLimit"));
        }
        using (var second = await _server.PostAsync("/api/posts?extra=1", """{"title":"b","unknown":"x","padding":[1,2,3]}"""))
        {
            AssertNotLimited(second);
        }
        var rows = _server.CountRows("posts");

        using var third = await _server.PostAsync("/api/posts?another=2", """{"title":"c"}""");

        await AssertLimitedAsync(third, "posts");
        Assert.Equal(rows, _server.CountRows("posts"));
    }

    [Fact]
    public async Task Reads_OfALimitedCollection_AreNotCountedByItsWritePolicy()
    {
        for (var i = 0; i < 5; i++)
        {
            using var read = await _server.GetAsync("/api/posts");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("", Header(read, "RateLimit"));
        }
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("Forwarded")]
    [InlineData("X-Real-IP")]
    public async Task SpoofedForwardingHeader_FromUntrustedPeer_DoesNotEscapeTheLimit(string header)
    {
        for (var i = 0; i < 4; i++)
        {
            var value = header == "Forwarded" ? $"for=198.51.100.{i}" : $"198.51.100.{i}";
            using var response = await _server.PostAsync("/auth/login", "{}", r => r.Headers.TryAddWithoutValidation(header, value));
            if (i < 3)
            {
                AssertNotLimited(response);
            }
            else
            {
                await AssertLimitedAsync(response, "auth");
            }
        }
    }
}

public sealed class RateLimitTestsOnSqlite : RateLimitTests<Sqlite>;

public sealed class RateLimitTestsOnPostgres : RateLimitTests<Postgres>;
