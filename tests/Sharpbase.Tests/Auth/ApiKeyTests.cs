using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthTestAccounts;

namespace Sharpbase.Tests.Auth;

public abstract class ApiKeyTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    // "vault" has no rules: superusers only, which is what an API key must carry through.
    private const string Schema = TestSchemas.Everything + "\n  users:\n    auth: true\n  vault:\n    fields:\n      name: { type: text }\n";

    private SharpbaseServer _server = null!;
    private TestAccount _root = null!;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(Schema, dev: false);
        _root = await SuperuserAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CreateKeyAsync(TestAccount account, string name = "deploy script")
    {
        using var response = await _server.PostAsync("/auth/api-keys", JsonSerializer.Serialize(new { name }), account.Bearer);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Create_SignedIn_201WithTheKeyShownOnce()
    {
        using var response = await _server.PostAsync("/auth/api-keys", """{"name":"deploy script"}""", _root.Bearer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.JsonAsync();
        var key = body.GetProperty("key").GetString()!;
        Assert.Matches("^sb_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key[..10], body.GetProperty("prefix").GetString());
        Assert.Equal("deploy script", body.GetProperty("name").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.True(DateTime.TryParse(body.GetProperty("created_at").GetString(), out _));
    }

    [Fact]
    public async Task List_AfterCreate_ShowsTheKeyWithoutItsSecret()
    {
        var created = await CreateKeyAsync(_root);

        using var response = await _server.GetAsync("/auth/api-keys", _root.Bearer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(created.GetProperty("key").GetString()!, text);
        var item = JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(["created_at", "id", "last_used_at", "name", "prefix"], item.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(created.GetProperty("id").GetString(), item.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("last_used_at").ValueKind);
    }

    [Fact]
    public async Task SuperuserKey_OnRecords_PassesTheSuperuserGateAndIsMarkedUsed()
    {
        var key = (await CreateKeyAsync(_root)).GetProperty("key").GetString()!;

        using var withKey = await _server.GetAsync("/api/vault", Bearer(key));
        using var without = await _server.GetAsync("/api/vault");

        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        await without.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var list = await _server.GetAsync("/auth/api-keys", _root.Bearer);
        var item = (await list.JsonAsync()).GetProperty("items").EnumerateArray().Single();
        Assert.True(DateTime.TryParse(item.GetProperty("last_used_at").GetString(), out _));
    }

    [Fact]
    public async Task Revoke_OwnKey_204AndTheKeyFailsAtOnce()
    {
        var created = await CreateKeyAsync(_root);
        var key = created.GetProperty("key").GetString()!;
        using (var before = await _server.GetAsync("/api/vault", Bearer(key)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var response = await _server.DeleteAsync("/auth/api-keys/" + created.GetProperty("id").GetString(), _root.Bearer);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var after = await _server.GetAsync("/api/vault", Bearer(key));
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        using var list = await _server.GetAsync("/auth/api-keys", _root.Bearer);
        Assert.Empty((await list.JsonAsync()).GetProperty("items").EnumerateArray());
        using var again = await _server.DeleteAsync("/auth/api-keys/" + created.GetProperty("id").GetString(), _root.Bearer);
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("POST", "/auth/api-keys", """{"name":"more"}""")]
    [InlineData("GET", "/auth/api-keys", null)]
    [InlineData("DELETE", "/auth/api-keys/{id}", null)]
    public async Task ApiKeyCaller_ManagingKeys_403(string method, string url, string? body)
    {
        var created = await CreateKeyAsync(_root);
        var key = created.GetProperty("key").GetString()!;

        using var response = await _server.SendAsync(new HttpMethod(method), url.Replace("{id}", created.GetProperty("id").GetString()), body, Bearer(key));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(1, _server.CountRows("_sb_api_keys"));
        using var stillWorks = await _server.GetAsync("/api/vault", Bearer(key));
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/auth/api-keys", """{"name":"x"}""")]
    [InlineData("GET", "/auth/api-keys", null)]
    [InlineData("DELETE", "/auth/api-keys/0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80", null)]
    public async Task Anonymous_401WithBearerChallenge(string method, string url, string? body)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), url, body);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task Revoke_AnotherUsersKey_404AndTheKeyStillWorks()
    {
        var alice = await UserAsync(_server, "users", "alice@example.com");
        var bob = await UserAsync(_server, "users", "bob@example.com");
        var created = await CreateKeyAsync(alice);

        using var response = await _server.DeleteAsync("/auth/api-keys/" + created.GetProperty("id").GetString(), bob.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        using var bobs = await _server.GetAsync("/auth/api-keys", bob.Bearer);
        Assert.Empty((await bobs.JsonAsync()).GetProperty("items").EnumerateArray());
        using var alices = await _server.GetAsync("/auth/api-keys", alice.Bearer);
        Assert.Single((await alices.JsonAsync()).GetProperty("items").EnumerateArray());
        // A user's key authenticates (so 403 from the superuser-only gate, not 401).
        using var api = await _server.GetAsync("/api/vault", Bearer(created.GetProperty("key").GetString()!));
        await api.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Revoke_SuperuserOnAUsersKey_204()
    {
        var alice = await UserAsync(_server, "users", "alice@example.com");
        var created = await CreateKeyAsync(alice);

        using var response = await _server.DeleteAsync("/auth/api-keys/" + created.GetProperty("id").GetString(), _root.Bearer);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var api = await _server.GetAsync("/api/vault", Bearer(created.GetProperty("key").GetString()!));
        await api.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{"name":7}""")]
    [InlineData("""{"name":"a\u0007b"}""")]
    [InlineData("""{"name":"x","scope":"all"}""")]
    public async Task Create_InvalidBody_422(string body)
    {
        using var response = await _server.PostAsync("/auth/api-keys", body, _root.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(0, _server.CountRows("_sb_api_keys"));
    }

    [Fact]
    public async Task Create_NameOf100_Accepted101_Refused()
    {
        using var ok = await _server.PostAsync("/auth/api-keys", JsonSerializer.Serialize(new { name = new string('n', 100) }), _root.Bearer);
        using var tooLong = await _server.PostAsync("/auth/api-keys", JsonSerializer.Serialize(new { name = new string('n', 101) }), _root.Bearer);

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        await tooLong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
    }

    [Fact]
    public async Task Create_AtTheLiveKeyCap_409UntilOneIsRevoked()
    {
        var store = _server.Runtime.Auth.ApiKeys;
        for (var i = 0; i < Sharpbase.Auth.ApiKeyStore.MaxLiveKeys; i++)
        {
            Assert.NotNull(await store.CreateAsync(_root.Kind, _root.Id, "key " + i, CancellationToken.None));
        }

        using var refused = await _server.PostAsync("/auth/api-keys", """{"name":"one too many"}""", _root.Bearer);
        using var list = await _server.GetAsync("/auth/api-keys", _root.Bearer);
        var first = (await list.JsonAsync()).GetProperty("items")[0].GetProperty("id").GetString();
        using var revoked = await _server.DeleteAsync("/auth/api-keys/" + first, _root.Bearer);
        using var accepted = await _server.PostAsync("/auth/api-keys", """{"name":"replacement"}""", _root.Bearer);

        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}

public sealed class ApiKeyTestsOnSqlite : ApiKeyTests<Sqlite>;

public sealed class ApiKeyTestsOnPostgres : ApiKeyTests<Postgres>;
