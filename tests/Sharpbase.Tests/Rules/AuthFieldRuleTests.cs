using System.Net;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rules;

/// <summary><c>@auth.&lt;field&gt;</c> in rules reads the caller's account, and follows changes to it on the next request.</summary>
public abstract class AuthFieldRuleTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string Schema = """
        collections:
          users:
            auth: true
            fields:
              plan: { type: select, values: [free, pro] }
          reports:
            rules: { list: "@auth.verified = true && @auth.plan = \"pro\"", create: "true" }
            fields:
              title: { type: text }
        """;

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(Schema, dev: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task List_RuleOnAuthFields_FollowsTheAccount()
    {
        var root = await AuthTestAccounts.SuperuserAsync(_server);
        var user = await AuthTestAccounts.UserAsync(_server, "users", "reader@example.com");
        await _server.CreateAsync("reports", """{"title":"q3"}""");

        using var before = await _server.GetAsync("/api/reports", user.Bearer);
        using var upgrade = await _server.PatchAsync($"/api/users/{user.Id}", """{"verified":true,"plan":"pro"}""", root.Bearer);
        using var after = await _server.GetAsync("/api/reports", user.Bearer);

        Assert.Equal(0, (await before.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, upgrade.StatusCode);
        Assert.Equal(1, (await after.JsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Start_RuleWithUnknownAuthField_FailsNamingIt()
    {
        var failure = await Record.ExceptionAsync(() => SharpbaseServer.StartAsync<TDatabase>(Schema.Replace("@auth.plan", "@auth.plna", StringComparison.Ordinal), dev: false));

        Assert.NotNull(failure);
        Assert.Contains("collections.reports.rules.list: unknown field 'plna' in '@auth'", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("did you mean '@auth.plan'", failure.ToString(), StringComparison.Ordinal);
    }
}

public sealed class AuthFieldRuleTestsOnSqlite : AuthFieldRuleTests<Sqlite>;

public sealed class AuthFieldRuleTestsOnPostgres : AuthFieldRuleTests<Postgres>;
