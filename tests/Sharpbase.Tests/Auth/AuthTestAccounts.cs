using Sharpbase.Rules;
using System.Net.Http.Headers;
using System.Text.Json;
using OtpNet;
using Sharpbase.Auth;
using Sharpbase.Records;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

/// <summary>An account made for a test, with an access token of a fresh session.</summary>
internal sealed record TestAccount(string Kind, string Id, string Email, string AccessToken)
{
    public Action<HttpRequestMessage> Bearer => request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
}

/// <summary>
/// Accounts set up straight through the runtime (not through /auth/register and /auth/login), so
/// these tests depend only on the endpoints they test.
/// </summary>
internal static class AuthTestAccounts
{
    public const string Password = "correct horse battery staple";

    public static Action<HttpRequestMessage> Bearer(string token) => request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    public static async Task<TestAccount> SuperuserAsync(SharpbaseServer server, string email = "root@example.com")
    {
        var auth = server.Runtime.Auth;
        var (created, error) = await SuperuserAccounts.CreateAsync(auth, email, Password, CancellationToken.None);
        Assert.Null(error);
        var account = await auth.Store.FindByEmailAsync(AccountKind.Superuser, created!, CancellationToken.None);
        return new TestAccount(AccountKind.Superuser, account!.Id, account.Email, await AccessTokenAsync(server, AccountKind.Superuser, account.Id));
    }

    /// <summary>A user of the schema's auth collection, created with its credentials in one transaction.</summary>
    public static async Task<TestAccount> UserAsync(SharpbaseServer server, string collection, string email)
    {
        var auth = server.Runtime.Auth;
        var hash = await auth.Passwords.HashAsync(Password, CancellationToken.None);
        using var body = JsonDocument.Parse(JsonSerializer.Serialize(new { email }));
        var result = await server.Runtime.Engine.CreateWithAsync(collection, body.RootElement, new CallerContext(null, true, auth.Now),
            (connection, transaction, created) => AccountStore.InsertCredentialsAsync(connection, transaction, AccountKind.User, created.Id!, hash, CancellationToken.None),
            CancellationToken.None);
        Assert.True(result.Status == RecordStatus.Created, $"user not created: {result.Status} {result.Detail}");
        return new TestAccount(AccountKind.User, result.Id!, email, await AccessTokenAsync(server, AccountKind.User, result.Id!));
    }

    /// <summary>What login will do: open a session and sign an access token for it.</summary>
    public static async Task<string> AccessTokenAsync(SharpbaseServer server, string kind, string id)
    {
        var auth = server.Runtime.Auth;
        var state = await auth.Store.GetStateAsync(kind, id, CancellationToken.None);
        var session = await auth.Store.CreateSessionAsync(kind, id, auth.Now, auth.Options.RefreshTokenLifetime, CancellationToken.None);
        return auth.Tokens.Issue(new AccessTokenClaims(id, session.SessionId, kind, state!.TokenVersion));
    }

    /// <summary>What login will hand out to an account with a second factor.</summary>
    public static Task<string> MfaTokenAsync(SharpbaseServer server, TestAccount account, TimeSpan? lifetime = null, string purpose = "mfa")
    {
        var auth = server.Runtime.Auth;
        return auth.Store.IssueOneTimeAsync(purpose, account.Kind, account.Id, auth.Now, lifetime ?? auth.Options.MfaTokenLifetime, CancellationToken.None);
    }

    public static string Code(string secret, TimeSpan offset) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow + offset);

    /// <summary>A 6-digit code that none of the steps near now produce.</summary>
    public static string WrongCode(string secret)
    {
        var near = Enumerable.Range(-3, 7).Select(i => Code(secret, TimeSpan.FromSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => new string((char)('0' + i), 6)).First(code => !near.Contains(code));
    }
}
