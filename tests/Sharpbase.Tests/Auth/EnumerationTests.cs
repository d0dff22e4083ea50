using System.Net;
using System.Text.Json.Nodes;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Auth;

/// <summary>Whether an address has an account cannot be read from login, register or forgot-password answers.</summary>
public abstract class EnumerationTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;
    private string _known = null!;
    private string _superuser = null!;

    public async Task InitializeAsync()
    {
        // One hashing slot, so a test can hold it and see which requests wait for password hashing.
        _server = await SharpbaseServer.StartAsync<TDatabase>(BlogWith("  auth: { Password: { MaxConcurrentHashes: 1 } }\n"));
        _known = NewEmail("known");
        await _server.RegisterAsync(_known);
        _superuser = NewEmail("admin");
        var (_, error) = await Sharpbase.Auth.SuperuserAccounts.CreateAsync(_server.Runtime.Auth, _superuser, Password, CancellationToken.None);
        Assert.Null(error);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string, string> Requests() => new()
    {
        { "/auth/login", """{"email":"{known}","password":"wrong password"}""", """{"email":"{unknown}","password":"wrong password"}""" },
        { "/auth/superuser/login", """{"email":"{superuser}","password":"wrong password"}""", """{"email":"{unknown}","password":"wrong password"}""" },
        { "/auth/register", """{"email":"{known}","password":"correct horse battery"}""", """{"email":"{unknown}","password":"correct horse battery"}""" },
        { "/auth/password/forgot", """{"email":"{known}"}""", """{"email":"{unknown}"}""" },
        { "/auth/verify/request", """{"email":"{known}"}""", """{"email":"{unknown}"}""" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Answer_KnownAndUnknownAddress_SameStatusBodyAndHeaders(string path, string knownBody, string unknownBody)
    {
        var unknown = NewEmail("unknown");

        using var forKnown = await _server.PostAsync(path, knownBody.Replace("{known}", _known, StringComparison.Ordinal).Replace("{superuser}", _superuser, StringComparison.Ordinal));
        using var forUnknown = await _server.PostAsync(path, unknownBody.Replace("{unknown}", unknown, StringComparison.Ordinal));

        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await ComparableBodyAsync(forKnown), await ComparableBodyAsync(forUnknown));
        Assert.Equal(ComparableHeaders(forKnown), ComparableHeaders(forUnknown));
    }

    [Fact]
    public async Task Login_UnknownAddress_WaitsForPasswordHashingLikeAKnownOne()
    {
        var hasher = _server.Runtime.Auth.Passwords;
        var slot = await hasher.EnterSlotAsync(CancellationToken.None);
        Task<HttpResponseMessage> login;
        try
        {
            login = _server.PostLoginAsync(NewEmail("unknown"), "wrong password");

            // With the only hashing slot held, an answer now would mean the unknown address skipped the hash.
            var first = await Task.WhenAny(login, Task.Delay(TimeSpan.FromSeconds(1)));
            Assert.NotSame(login, first);
        }
        finally
        {
            slot.Dispose();
        }

        using var response = await login;
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_KnownAddressWrongPassword_WaitsForPasswordHashing()
    {
        // The control for the test above: the same hold delays the path that certainly hashes.
        var hasher = _server.Runtime.Auth.Passwords;
        var slot = await hasher.EnterSlotAsync(CancellationToken.None);
        Task<HttpResponseMessage> login;
        try
        {
            login = _server.PostLoginAsync(_known, "wrong password");
            var first = await Task.WhenAny(login, Task.Delay(TimeSpan.FromSeconds(1)));
            Assert.NotSame(login, first);
        }
        finally
        {
            slot.Dispose();
        }

        using var response = await login;
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    private static async Task<string> ComparableBodyAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("trace_id");
        return body.ToJsonString();
    }

    private static string ComparableHeaders(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            // The remaining quota counts requests, not accounts: it differs between any two requests.
            .Select(h => h.Key + ": " + (h.Key.Equals("RateLimit", StringComparison.OrdinalIgnoreCase) ? "(remaining)" : string.Join(",", h.Value))));
}

public sealed class EnumerationTestsOnSqlite : EnumerationTests<Sqlite>;

public sealed class EnumerationTestsOnPostgres : EnumerationTests<Postgres>;
