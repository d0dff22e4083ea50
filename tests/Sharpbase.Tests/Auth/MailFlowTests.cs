using System.Globalization;
using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Auth;

/// <summary>Forgotten passwords and address verification, following the links in the mails the server writes.</summary>
public abstract class MailFlowTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private const string PublicUrl = "https://app.example.com";
    private const string NewPassword = "a brand new password";

    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SharpbaseServer.StartAsync<TDatabase>(BlogWith($"  auth: {{ PublicUrl: \"{PublicUrl}\", Password: {{ MemoryKiB: 64, Iterations: 1 }} }}\n"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> ForgotAsync(string email, Action<HttpRequestMessage>? configure = null) =>
        _server.PostAsync("/auth/password/forgot", ToJson(new { email }), configure);

    private Task<HttpResponseMessage> ResetAsync(string token, string password) =>
        _server.PostAsync("/auth/password/reset", ToJson(new { token, password }));

    [Fact]
    public async Task Forgot_KnownAndUnknownAddress_Same202AndOnlyKnownGetsMail()
    {
        var known = NewEmail();
        var unknown = NewEmail("nobody");
        await _server.RegisterAsync(known);

        using var forUnknown = await ForgotAsync(unknown);
        using var forKnown = await ForgotAsync(known);

        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());
        using var mail = await _server.WaitForMailAsync(known, "Reset your");
        Assert.Empty(_server.OutboxMailsTo(unknown));
    }

    [Fact]
    public async Task Reset_TokenFromMailedLink_NewPasswordWorksAndOlderSessionsEnd()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        var before = await _server.LoginAsync(email);
        using (var forgot = await ForgotAsync(email.ToUpperInvariant(), r => r.Headers.Host = "attacker.example"))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }
        using var mail = await _server.WaitForMailAsync(email, "Reset your");
        var (link, token) = LinkOf(mail);
        Assert.StartsWith(PublicUrl + "/auth/password/reset#token=", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker", mail.HtmlBody, StringComparison.Ordinal);

        using var reset = await ResetAsync(token, NewPassword);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await _server.AssertMeRefusedAsync(before.AccessToken);
        using (var refresh = await _server.RefreshAsync(before.RefreshToken))
        {
            await refresh.AssertUnauthorizedAsync("invalid_grant");
        }
        using (var old = await _server.PostLoginAsync(email, Password))
        {
            await old.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        var after = await _server.LoginAsync(email, NewPassword);
        Assert.True(after.Body.GetProperty("user").GetProperty("verified").GetBoolean());
        using var again = await ResetAsync(token, "yet another password");
        var problem = await again.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.NotEmpty(problem.Errors("token"));
        await _server.LoginAsync(email, NewPassword);
    }

    [Fact]
    public async Task Reset_WeakPassword_422AndTokenStillUsable()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        using (await ForgotAsync(email))
        {
        }
        using var mail = await _server.WaitForMailAsync(email, "Reset your");
        var (_, token) = LinkOf(mail);

        using var weak = await ResetAsync(token, "short");

        var problem = await weak.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.NotEmpty(problem.Errors("password"));
        using var retry = await ResetAsync(token, NewPassword);
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Reset_InvalidToken_422(string token)
    {
        using var response = await ResetAsync(token, NewPassword);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.NotEmpty(problem.Errors("token"));
    }

    [Fact]
    public async Task Reset_VerificationToken_422()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        using var mail = await _server.WaitForMailAsync(email, "Confirm");
        var (_, token) = LinkOf(mail);

        using var response = await ResetAsync(token, NewPassword);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        await _server.LoginAsync(email);
    }

    [Fact]
    public async Task Verify_TokenFromRegistrationMail_VerifiedOnceOnly()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        var session = await _server.LoginAsync(email);
        Assert.False(session.Body.GetProperty("user").GetProperty("verified").GetBoolean());
        using var mail = await _server.WaitForMailAsync(email, "Confirm your email address");
        var (link, token) = LinkOf(mail);
        Assert.StartsWith(PublicUrl + "/auth/verify#token=", link.AbsoluteUri, StringComparison.Ordinal);

        using var verify = await _server.PostAsync("/auth/verify", ToJson(new { token }));

        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        using (var me = await _server.MeAsync(session.AccessToken))
        {
            Assert.True((await me.JsonAsync()).GetProperty("user").GetProperty("verified").GetBoolean());
        }
        using var again = await _server.PostAsync("/auth/verify", ToJson(new { token }));
        var problem = await again.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.NotEmpty(problem.Errors("token"));
    }

    [Fact]
    public async Task Verify_ResetToken_422AndStillUnverified()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        var session = await _server.LoginAsync(email);
        using (await ForgotAsync(email))
        {
        }
        using var mail = await _server.WaitForMailAsync(email, "Reset your");
        var (_, token) = LinkOf(mail);

        using var verify = await _server.PostAsync("/auth/verify", ToJson(new { token }));

        await verify.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        using var me = await _server.MeAsync(session.AccessToken);
        Assert.False((await me.JsonAsync()).GetProperty("user").GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task RequestVerification_KnownAddress_202AndNewLinkWorks()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        using (var first = await _server.WaitForMailAsync(email, "Confirm"))
        {
        }

        using var response = await _server.PostAsync("/auth/verify/request", ToJson(new { email }));
        using var unknown = await _server.PostAsync("/auth/verify/request", ToJson(new { email = NewEmail("nobody") }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await response.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_server.OutboxMailsTo(email).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var mails = _server.OutboxMailsTo(email);
        Assert.Equal(2, mails.Count);
        var tokens = mails.Select(m => LinkOf(m).Token).ToList();
        Assert.NotEqual(tokens[0], tokens[1]);
        foreach (var token in tokens)
        {
            using var verify = await _server.PostAsync("/auth/verify", ToJson(new { token }));
            Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        }
    }

    [Fact]
    public async Task Register_TakenAddress_OwnerGetsNoticeWithResetLink()
    {
        var email = NewEmail();
        await _server.RegisterAsync(email);
        using (await _server.WaitForMailAsync(email, "Confirm"))
        {
        }

        await _server.RegisterAsync(email, "an attacker's password");

        using var notice = await _server.WaitForMailAsync(email, "Someone tried to sign up");
        var (link, token) = LinkOf(notice);
        Assert.StartsWith(PublicUrl + "/auth/password/reset#token=", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.Single(_server.OutboxMailsTo(email), m => (m.Subject ?? "").Contains("Confirm", StringComparison.Ordinal));
        using (var attacker = await _server.PostLoginAsync(email, "an attacker's password"))
        {
            await attacker.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using var reset = await ResetAsync(token, NewPassword);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await _server.LoginAsync(email, NewPassword);
    }

    [Fact]
    public async Task Reset_LinkReceivedThroughSmtpServer_NewPasswordWorks()
    {
        var (smtpPort, api) = MaildevFromEnvironment();
        var schema = BlogWith(
            $"  auth: {{ PublicUrl: \"{PublicUrl}\", Password: {{ MemoryKiB: 64, Iterations: 1 }} }}\n" +
            $"  mail: {{ SmtpHost: 127.0.0.1, SmtpPort: {smtpPort.ToString(CultureInfo.InvariantCulture)}, SmtpSecurity: none, From: \"Blog <no-reply@example.com>\" }}\n");
        await using var server = await SharpbaseServer.StartAsync<TDatabase>(schema);
        var email = NewEmail("smtp");
        await server.RegisterAsync(email);
        var before = await server.LoginAsync(email);

        using (var forgot = await server.PostAsync("/auth/password/forgot", ToJson(new { email })))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }
        var received = await WaitForMaildevAsync(api, email, "Reset your");
        var (link, token) = LinkOf(received.GetProperty("text").GetString()!);
        using var reset = await server.PostAsync("/auth/password/reset", ToJson(new { token, password = NewPassword }));

        Assert.StartsWith(PublicUrl + "/auth/password/reset#token=", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("no-reply@example.com", received.GetProperty("from")[0].GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await server.LoginAsync(email, NewPassword);
        await server.AssertMeRefusedAsync(before.AccessToken);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "outbox")) && Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "outbox")).Any(),
            "with SMTP configured, nothing goes to the outbox");
    }

    private static (int SmtpPort, Uri Api) MaildevFromEnvironment()
    {
        var port = Environment.GetEnvironmentVariable("SHARPBASE_TEST_SMTP_PORT");
        var api = Environment.GetEnvironmentVariable("SHARPBASE_TEST_MAILDEV_API");
        if (string.IsNullOrEmpty(port) || string.IsNullOrEmpty(api))
        {
            Assert.Fail("SHARPBASE_TEST_SMTP_PORT and SHARPBASE_TEST_MAILDEV_API are not set: run ./test.sh, which starts maildev on loopback for this test.");
        }
        return (int.Parse(port, CultureInfo.InvariantCulture), new Uri(api.TrimEnd('/') + "/"));
    }

    private static async Task<JsonElement> WaitForMaildevAsync(Uri api, string recipient, string subjectContains)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("email"));
            foreach (var email in document.RootElement.EnumerateArray())
            {
                if (email.GetProperty("to").EnumerateArray().Any(to => to.GetProperty("address").GetString() == recipient)
                    && email.GetProperty("subject").GetString()!.Contains(subjectContains, StringComparison.Ordinal))
                {
                    return email.Clone();
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"maildev at {api} has no mail to {recipient} with '{subjectContains}'");
            }
            await Task.Delay(200);
        }
    }
}

public sealed class MailFlowTestsOnSqlite : MailFlowTests<Sqlite>;

public sealed class MailFlowTestsOnPostgres : MailFlowTests<Postgres>;
