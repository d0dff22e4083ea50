using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

public abstract class RehashTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Schema = """
        collections:
          users:
            auth: true
        settings:
          auth:
            password: { memory_kib: 8192, iterations: 1 }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(Schema, dev: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Login_AfterHashingParametersChange_RehashesThePassword()
    {
        using var register = await _server.PostAsync("/auth/register", """{"email":"old@example.com","password":"correct horse"}""");
        var before = StoredHash();
        await _server.WriteSchemaAsync(Schema.Replace("password: { memory_kib: 8192, iterations: 1 }", "password: { memory_kib: 19456, iterations: 2 }", StringComparison.Ordinal));
        await _server.RestartAsync(dev: false);

        using var login = await _server.PostAsync("/auth/login", """{"email":"old@example.com","password":"correct horse"}""");
        var after = StoredHash();
        using var again = await _server.PostAsync("/auth/login", """{"email":"old@example.com","password":"correct horse"}""");

        Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        Assert.Contains("$m=8192,t=1,p=1$", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("$m=19456,t=2,p=1$", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private string StoredHash() => (string)_server.ReadScalar("SELECT password_hash FROM _sb_credentials WHERE kind = 'user'")!;
}

public sealed class RehashTestsOnSqlite : RehashTests<Sqlite>;

public sealed class RehashTestsOnPostgres : RehashTests<Postgres>;
