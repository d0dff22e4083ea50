using System.Net;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Auth;

/// <summary>Failed sign-ins slow down, then lock, one account; never for longer than the window, never another account.</summary>
public abstract class ThrottleTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _defaults = null!;
    private SharpbaseServer _lockAt20 = null!;

    public async Task InitializeAsync()
    {
        _defaults = await SharpbaseServer.StartAsync<TDatabase>(BlogWith(CheapHashing));
        // No delays before the lock, so twenty failures can be sent back to back.
        _lockAt20 = await SharpbaseServer.StartAsync<TDatabase>(BlogWith("  auth: { FailuresBeforeDelay: 20, FailuresBeforeLock: 20, Password: { MemoryKiB: 64, Iterations: 1 } }\n"));
    }

    public async Task DisposeAsync()
    {
        await _defaults.DisposeAsync();
        await _lockAt20.DisposeAsync();
    }

    [Fact]
    public async Task Login_TwentyWrongPasswords_LockedEvenForRightPasswordWithinWindow()
    {
        var email = NewEmail();
        await _lockAt20.RegisterAsync(email);
        for (var i = 0; i < 20; i++)
        {
            using var wrong = await _lockAt20.PostLoginAsync(email, "wrong password " + i);
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var right = await _lockAt20.PostLoginAsync(email, Password);

        await right.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        var retryAfter = right.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 900);
        using var again = await _lockAt20.PostLoginAsync(email.ToUpperInvariant(), Password);
        await again.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task Login_OtherAccountLockedFromSameAddress_ThisOneStillSignsIn()
    {
        var locked = NewEmail("locked");
        var other = NewEmail("other");
        await _lockAt20.RegisterAsync(locked);
        await _lockAt20.RegisterAsync(other);
        for (var i = 0; i < 20; i++)
        {
            using var wrong = await _lockAt20.PostLoginAsync(locked, "wrong password");
        }
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await _lockAt20.PostLoginAsync(other, "wrong password");
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var session = await _lockAt20.LoginAsync(other);

        await _lockAt20.AssertMeIsAsync(session.AccessToken, session.UserId);
        using var stillLocked = await _lockAt20.PostLoginAsync(locked, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
    }

    [Fact]
    public async Task Login_RepeatedWrongPasswordsWithDefaults_SlowedDownWithBoundedWait()
    {
        var email = NewEmail();
        await _defaults.RegisterAsync(email);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await _defaults.PostLoginAsync(email, "wrong password");
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // Each failure from the fifth on doubles the wait (1 s, 2 s, 4 s, …), so one of the next
        // attempts is refused, however slowly this machine sends them.
        HttpResponseMessage? throttled = null;
        for (var i = 0; i < 15 && throttled is null; i++)
        {
            var response = await _defaults.PostLoginAsync(email, "wrong password");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throttled = response;
            }
            else
            {
                await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
                response.Dispose();
            }
        }

        Assert.NotNull(throttled);
        using (throttled)
        {
            await throttled.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
            Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        }
    }

    [Fact]
    public async Task Login_SuccessBeforeDelay_ClearsTheCount()
    {
        var email = NewEmail();
        await _defaults.RegisterAsync(email);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                using var wrong = await _defaults.PostLoginAsync(email, "wrong password");
                await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            }

            await _defaults.LoginAsync(email);
        }
    }

    [Fact]
    public async Task Login_AllHashingSlotsBusyPastQueueTimeout_503WithRetryAfter()
    {
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(BlogWith("  auth: { Password: { MaxConcurrentHashes: 1, QueueTimeout: \"00:00:00.200\" } }\n"));
        var email = NewEmail();
        await server.RegisterAsync(email);
        HttpResponseMessage response;
        using (await server.Runtime.Auth.Passwords.EnterSlotAsync(CancellationToken.None))
        {
            response = await server.PostLoginAsync(email, Password);
        }

        using (response)
        {
            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
        }
        await server.LoginAsync(email);
    }
}

public sealed class ThrottleTestsOnSqlite : ThrottleTests<Sqlite>;

public sealed class ThrottleTestsOnPostgres : ThrottleTests<Postgres>;
