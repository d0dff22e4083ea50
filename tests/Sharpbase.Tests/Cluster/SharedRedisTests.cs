using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sharpbase.Cluster;
using Sharpbase.Rest;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Protection;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Cluster;

/// <summary>Two nodes sharing a database and the redis-server of the test run: what one node does, the other sees at once.</summary>
public sealed class SharedRedisTests : IAsyncLifetime
{
    private ClusterPair _pair = null!;

    private SharpbaseServer A => _pair.A;

    private SharpbaseServer B => _pair.B;

    public const string LockAtFour = "FailuresBeforeDelay: 4, FailuresBeforeLock: 4, ";

    public async Task InitializeAsync() => _pair = await ClusterPair.StartAsync(RedisServer.Shared, LockAtFour);

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task Token_IssuedByOneNode_AcceptedByTheOther()
    {
        var session = await A.RegisterAndLoginAsync();

        await B.AssertMeIsAsync(session.AccessToken, session.UserId);
    }

    [Fact]
    public async Task Logout_OnOneNode_TokenRefusedByTheOtherAtOnce()
    {
        var session = await A.RegisterAndLoginAsync();
        // B has the account and session cached as valid.
        await B.AssertMeIsAsync(session.AccessToken, session.UserId);

        await A.LogoutAsync(session.AccessToken);

        await B.AssertMeRefusedAsync(session.AccessToken);
    }

    [Fact]
    public async Task PasswordChange_OnOneNode_OtherSessionsRefusedByTheOtherAtOnce()
    {
        var email = NewEmail();
        await A.RegisterAsync(email);
        var here = await A.LoginAsync(email);
        var elsewhere = await B.LoginAsync(email);
        await B.AssertMeIsAsync(elsewhere.AccessToken, elsewhere.UserId);

        using var change = await A.PostAsync("/auth/password/change", ToJson(new { current_password = Password, new_password = "a brand new password" }), Bearer(here.AccessToken));
        Assert.True(change.IsSuccessStatusCode, $"password change: {(int)change.StatusCode} {await change.Content.ReadAsStringAsync()}");

        await B.AssertMeRefusedAsync(elsewhere.AccessToken);
    }

    [Fact]
    public async Task ApiKey_RevokedOnOneNode_RefusedByTheOtherAtOnce()
    {
        var session = await A.RegisterAndLoginAsync();
        using var created = await A.PostAsync("/auth/api-keys", """{"name":"deploy"}""", Bearer(session.AccessToken));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var key = body.GetProperty("key").GetString()!;
        await B.AssertMeIsAsync(key, session.UserId);

        using var revoked = await A.DeleteAsync("/auth/api-keys/" + body.GetProperty("id").GetString(), Bearer(session.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        await B.AssertMeRefusedAsync(key);
    }

    [Fact]
    public async Task CachedList_WriteOnTheOtherNode_NeverServedStale()
    {
        await A.CreateAsync("news", """{"title":"first"}""");
        for (var i = 0; i < 20; i++)
        {
            // A caches the page; a write through B must show on A's very next read.
            using var cached = await A.GetAsync("/api/news?sort=title&limit=100");
            var before = await cached.JsonAsync();
            await B.CreateAsync("news", JsonSerializer.Serialize(new { title = $"write {i:D2}" }));
            using var after = await A.GetAsync("/api/news?sort=title&limit=100");
            var page = await after.JsonAsync();
            Assert.Equal(before.GetProperty("items").GetArrayLength() + 1, page.GetProperty("items").GetArrayLength());
            Assert.Contains(page.GetProperty("items").EnumerateArray(), item => item.GetProperty("title").GetString() == $"write {i:D2}");
        }
    }

    [Fact]
    public async Task ListETag_SameOnBothNodes_ChangesWithAWriteOnEither()
    {
        await A.CreateAsync("news", """{"title":"first"}""");
        using var onA = await A.GetAsync("/api/news");
        var etag = onA.Headers.ETag!;

        using var unchangedOnB = await B.GetAsync("/api/news", r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, unchangedOnB.StatusCode);

        await B.CreateAsync("news", """{"title":"second"}""");
        using var changedOnA = await A.GetAsync("/api/news", r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.OK, changedOnA.StatusCode);
        Assert.NotEqual(etag, changedOnA.Headers.ETag);
    }

    [Fact]
    public async Task IdempotencyKey_RunningOnOneNode_TheOtherAnswers409()
    {
        var gate = A.Services.GetRequiredService<IdempotencyGate>();
        var key = "order-" + Guid.NewGuid().ToString("N");
        Assert.True(await gate.TryEnterAsync("anonymous", key));

        using var repeat = await B.PostAsync("/api/news", """{"title":"once"}""", r => r.Headers.Add("Idempotency-Key", key));
        await repeat.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_in_progress");

        await gate.ExitAsync("anonymous", key);
        using var first = await B.PostAsync("/api/news", """{"title":"once"}""", r => r.Headers.Add("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var replay = await A.PostAsync("/api/news", """{"title":"once"}""", r => r.Headers.Add("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_FailuresSpreadOverBothNodes_LockTheAccountOnBoth()
    {
        var email = NewEmail();
        await A.RegisterAsync(email);
        foreach (var node in new[] { A, A, B, B })
        {
            using var wrong = await node.PostLoginAsync(email, "wrong password");
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // Each node saw two failures, under the lock at four; together they saw four.
        using var onA = await A.PostLoginAsync(email, Password);
        using var onB = await B.PostLoginAsync(email, Password);

        await onA.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        await onB.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        var other = NewEmail("other");
        await B.RegisterAsync(other);
        var session = await A.LoginAsync(other);
        await B.AssertMeIsAsync(session.AccessToken, session.UserId);
    }

    [Fact]
    public async Task Login_Failures_CountedInRedisWithoutTheEmailOrAddressInAKey()
    {
        var email = NewEmail("secret");
        using var wrong = await A.PostLoginAsync(email, "wrong password");
        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        var connection = A.Services.GetRequiredService<RedisConnection>().Connection!;
        var keys = new List<string>();
        await foreach (var key in connection.GetServers()[0].KeysAsync(pattern: RedisConnection.Prefix + "login:*"))
        {
            keys.Add(key.ToString());
        }
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.DoesNotContain("secret", key, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("example.com", key, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("127.0.0.1", key, StringComparison.Ordinal);
            Assert.Matches("^sharpbase:login:[0-9a-f]{64}$", key);
        });
    }

    [Fact]
    public async Task ResetMails_AskedForThroughBothNodes_CountTogetherAgainstTheAddressesHourlyLimit()
    {
        const string Refused = "mails to this address in an hour";
        int RefusalsLogged() => A.Logs.Entries.Concat(B.Logs.Entries).Count(e => e.Message.Contains(Refused, StringComparison.Ordinal));
        var email = NewEmail();
        await A.RegisterAsync(email);

        // With the verification mail, nine mails to one address, four through each node: counted on
        // each node alone, every one would go out (five a node an hour).
        for (var i = 0; i < 8; i++)
        {
            using var forgot = await (i % 2 == 0 ? A : B).PostAsync("/auth/password/forgot", ToJson(new { email }));
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        // Mail goes out in the background: wait until each of the nine was written or refused.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (RefusalsLogged() + A.OutboxMailsTo(email).Count < 9)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{RefusalsLogged()} refusals logged, {A.OutboxMailsTo(email).Count} mails written");
            await Task.Delay(50);
        }
        Assert.Equal(5, A.OutboxMailsTo(email).Count);
        Assert.Equal(4, RefusalsLogged());
    }
}
