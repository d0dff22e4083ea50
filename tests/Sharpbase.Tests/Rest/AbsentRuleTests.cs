using System.Net;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

/// <summary>A collection without rules is for superusers only, in production and development mode alike.</summary>
public abstract class AbsentRuleTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Schema = """
        collections:
          users:
            auth: true
          secrets:
            fields:
              name: { type: text }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(Schema, dev: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string, string?> Requests => new()
    {
        { "GET", "/api/secrets", null },
        { "POST", "/api/secrets", """{"name":"a"}""" },
        { "GET", "/api/secrets/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", null },
        { "POST", "/api/batch", """{"requests":[{"method":"POST","url":"/api/secrets","body":{"name":"a"}}]}""" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task AnonymousAndUsers_AreRefused403AndWriteNothing(string method, string url, string? body)
    {
        var user = await AuthTestAccounts.UserAsync(_server, "users", $"u{Guid.NewGuid():N}@example.com");

        using var anonymous = await _server.SendAsync(new HttpMethod(method), url, body);
        using var signedIn = await _server.SendAsync(new HttpMethod(method), url, body, user.Bearer);

        await anonymous.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await signedIn.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, _server.CountRows("secrets"));
    }

    [Fact]
    public async Task Superuser_PassesEveryAbsentRule()
    {
        var root = await AuthTestAccounts.SuperuserAsync(_server);

        using var created = await _server.PostAsync("/api/secrets", """{"name":"a"}""", root.Bearer);
        var id = (await created.JsonAsync()).GetProperty("id").GetString();
        using var list = await _server.GetAsync("/api/secrets", root.Bearer);
        using var patched = await _server.PatchAsync($"/api/secrets/{id}", """{"name":"b"}""", root.Bearer);
        using var deleted = await _server.DeleteAsync($"/api/secrets/{id}", root.Bearer);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, (await list.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task UnknownCollection_IsStill404()
    {
        using var response = await _server.GetAsync("/api/nothing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task EveryResponse_CarriesSecurityHeaders()
    {
        using var response = await _server.GetAsync("/api/secrets");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }
}

public sealed class AbsentRuleTestsOnSqlite : AbsentRuleTests<Sqlite>;

public sealed class AbsentRuleTestsOnPostgres : AbsentRuleTests<Postgres>;
