using Sharpbase.Rules;
using System.Net;
using System.Text.Json;
using Sharpbase.Auth;
using Sharpbase.Records;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary>
/// One server per test class (production mode, rules enforced) with a superuser and two users of
/// the auth collection, "alice" (the owner) and "bob" (the other user), and an API key of alice.
/// Accounts are made once per class: hashing a password is deliberately slow.
/// </summary>
public abstract class RulesServer<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    public SharpbaseServer Server { get; private set; } = null!;

    internal TestAccount Root { get; private set; } = null!;

    internal TestAccount Alice { get; private set; } = null!;

    internal TestAccount Bob { get; private set; } = null!;

    /// <summary>An API key of alice (a user's key acts as that user).</summary>
    public string AliceKey { get; private set; } = null!;

    protected abstract string? Schema { get; }

    public async Task InitializeAsync()
    {
        Server = await SharpbaseServer.StartAsync<TDatabase>(Schema, dev: false);
        Root = await AuthTestAccounts.SuperuserAsync(Server);
        Alice = await AuthTestAccounts.UserAsync(Server, "users", "alice@example.com");
        Bob = await AuthTestAccounts.UserAsync(Server, "users", "bob@example.com");
        (_, AliceKey) = (await Server.Runtime.Auth.ApiKeys.CreateAsync(AccountKind.User, Alice.Id, "alice's script", CancellationToken.None))!.Value;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The credentials of a caller by name: anonymous, owner, other, superuser, apikey.</summary>
    public Action<HttpRequestMessage>? As(string caller) => caller switch
    {
        "anonymous" => null,
        "owner" => Alice.Bearer,
        "other" => Bob.Bearer,
        "superuser" => Root.Bearer,
        "apikey" => AuthTestAccounts.Bearer(AliceKey),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, null),
    };

    /// <summary>Creates a record straight through the engine as a superuser (set-up; no HTTP rate limits) and returns its id.</summary>
    public async Task<string> SeedAsync(string collection, object body)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(body));
        var result = await Server.Runtime.Engine.CreateAsync(collection, document.RootElement, new CallerContext(null, true, DateTime.UtcNow), null, CancellationToken.None);
        Assert.True(result.Status == RecordStatus.Created, $"seed of {collection} failed: {result.Status} {result.Detail} {JsonSerializer.Serialize(result.Errors?.ByField)}");
        return result.Id!;
    }

    /// <summary>A record as a superuser sees it (null when it does not exist).</summary>
    public async Task<JsonElement?> ReadAsRootAsync(string collection, string id)
    {
        using var response = await Server.GetAsync($"/api/{collection}/{id}", Root.Bearer);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}

/// <summary>The bundled blog example, exactly as shipped.</summary>
public sealed class BlogRulesServer<TDatabase> : RulesServer<TDatabase> where TDatabase : ITestDatabaseKind
{
    protected override string? Schema => null;
}
