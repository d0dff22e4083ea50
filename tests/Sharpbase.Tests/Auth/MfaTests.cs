using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthTestAccounts;

namespace Sharpbase.Tests.Auth;

public abstract class MfaTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;
    private TestAccount _root = null!;

    public async Task InitializeAsync()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything, dev: false);
        _root = await SuperuserAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> SetUpAsync()
    {
        using var response = await _server.PostAsync("/auth/mfa/totp/setup", "{}", _root.Bearer);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("secret").GetString()!;
    }

    /// <summary>Sets up and enables TOTP with the code of the current step; the next step's code is still unused.</summary>
    private async Task<(string Secret, string[] RecoveryCodes)> EnableAsync()
    {
        var secret = await SetUpAsync();
        using var response = await _server.PostAsync("/auth/mfa/totp/enable", Json(new { code = Code(secret, TimeSpan.Zero) }), _root.Bearer);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var codes = (await response.JsonAsync()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return (secret, codes);
    }

    private async Task<HttpResponseMessage> LoginAsync(object body) => await _server.PostAsync("/auth/mfa/totp/login", Json(body));

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string NextCode(string secret) => Code(secret, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Setup_SignedIn_ReturnsSecretAndOtpauthUriUncached()
    {
        using var response = await _server.PostAsync("/auth/mfa/totp/setup", "{}", _root.Bearer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.JsonAsync();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.Equal($"otpauth://totp/Sharpbase:root%40example.com?secret={secret}&issuer=Sharpbase&algorithm=SHA1&digits=6&period=30",
            body.GetProperty("otpauth_uri").GetString());
    }

    [Fact]
    public async Task Setup_Anonymous_401WithBearerChallenge()
    {
        using var response = await _server.PostAsync("/auth/mfa/totp/setup", "{}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task Setup_WithApiKey_403()
    {
        var (_, key) = (await _server.Runtime.Auth.ApiKeys.CreateAsync(_root.Kind, _root.Id, "script", CancellationToken.None))!.Value;

        using var response = await _server.PostAsync("/auth/mfa/totp/setup", "{}", Bearer(key));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Enable_ValidCode_ReturnsTenRecoveryCodesAndTurnsMfaOn()
    {
        var (_, codes) = await EnableAsync();

        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$", code));
        var account = await _server.Runtime.Auth.Store.FindByIdAsync(_root.Kind, _root.Id, CancellationToken.None);
        Assert.True(account!.MfaEnabled);
        Assert.Equal(10, _server.CountRows("_sb_recovery_codes"));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    [InlineData(null)]
    public async Task Enable_WrongOrStaleCode_422AndStaysOff(int? offsetSeconds)
    {
        var secret = await SetUpAsync();
        var code = offsetSeconds is { } seconds ? Code(secret, TimeSpan.FromSeconds(seconds)) : WrongCode(secret);

        using var response = await _server.PostAsync("/auth/mfa/totp/enable", Json(new { code }), _root.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Single(problem.Errors("code"));
        var account = await _server.Runtime.Auth.Store.FindByIdAsync(_root.Kind, _root.Id, CancellationToken.None);
        Assert.False(account!.MfaEnabled);
    }

    [Fact]
    public async Task Enable_WithoutSetup_409()
    {
        using var response = await _server.PostAsync("/auth/mfa/totp/enable", Json(new { code = "123456" }), _root.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Setup_WhenEnabled_409AndSecretKept()
    {
        var (secret, _) = await EnableAsync();

        using var response = await _server.PostAsync("/auth/mfa/totp/setup", "{}", _root.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(secret, (await _server.Runtime.Auth.Mfa.GetAsync(_root.Kind, _root.Id, CancellationToken.None))!.Secret);
    }

    [Fact]
    public async Task Login_TokenAndValidCode_SignsIn()
    {
        var (secret, _) = await EnableAsync();
        var token = await MfaTokenAsync(_server, _root);

        using var response = await LoginAsync(new { mfa_token = token, code = NextCode(secret) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        using var api = await _server.GetAsync("/api/owners", Bearer(body.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Login_CodeAlreadyUsedToEnable_401()
    {
        var secret = await SetUpAsync();
        var code = Code(secret, TimeSpan.Zero);
        using (var enable = await _server.PostAsync("/auth/mfa/totp/enable", Json(new { code }), _root.Bearer))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }

        using var response = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), code });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_SameCodeTwice_SecondRefused()
    {
        var (secret, _) = await EnableAsync();
        var code = NextCode(secret);
        using (var first = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), code }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), code });

        await second.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_SameCodeConcurrently_OnlyOnePasses()
    {
        var (secret, _) = await EnableAsync();
        var code = NextCode(secret);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => MfaTokenAsync(_server, _root)));

        var responses = await Task.WhenAll(tokens.Select(token => LoginAsync(new { mfa_token = token, code })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(-90)]
    [InlineData(300)]
    public async Task Login_CodeOutsideTheWindow_401(int offsetSeconds)
    {
        var (secret, _) = await EnableAsync();

        using var response = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), code = Code(secret, TimeSpan.FromSeconds(offsetSeconds)) });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_RecoveryCode_WorksOnceInAnySpelling()
    {
        var (_, codes) = await EnableAsync();

        using (var first = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), recovery_code = codes[0] }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using (var again = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), recovery_code = codes[0] }))
        {
            await again.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using var typed = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), recovery_code = codes[1].Replace("-", " ").ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
    }

    [Fact]
    public async Task Login_TokenAlreadyUsed_401()
    {
        var (_, codes) = await EnableAsync();
        var token = await MfaTokenAsync(_server, _root);
        using (var first = await LoginAsync(new { mfa_token = token, recovery_code = codes[0] }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await LoginAsync(new { mfa_token = token, recovery_code = codes[1] });

        await again.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_WrongCode_KeepsTokenForAnotherTry()
    {
        var (secret, _) = await EnableAsync();
        var token = await MfaTokenAsync(_server, _root);
        using (var wrong = await LoginAsync(new { mfa_token = token, code = WrongCode(secret) }))
        {
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var retry = await LoginAsync(new { mfa_token = token, code = NextCode(secret) });

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("other purpose")]
    [InlineData("unknown")]
    [InlineData("mfa off")]
    public async Task Login_TokenNotUsable_SameAnswerAsWrongCode(string kind)
    {
        var (secret, codes) = kind == "mfa off" ? ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Array.Empty<string>()) : await EnableAsync();
        var token = kind switch
        {
            "expired" => await MfaTokenAsync(_server, _root, TimeSpan.FromSeconds(-1)),
            "other purpose" => await MfaTokenAsync(_server, _root, purpose: "reset"),
            "unknown" => "x8V4nO0Ejq1g7rS3b8kPq0J9mL2wZ5yT6uH1cD4fA7e",
            _ => await MfaTokenAsync(_server, _root),
        };
        using var wrong = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), code = WrongCode(secret) });
        var expected = (await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials")).GetProperty("detail").GetString();

        using var response = await LoginAsync(new { mfa_token = token, code = NextCode(secret) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(expected, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/auth/me")]
    [InlineData("/api/owners")]
    public async Task MfaToken_AsBearer_401(string url)
    {
        await EnableAsync();
        var token = await MfaTokenAsync(_server, _root);

        using var response = await _server.GetAsync(url, Bearer(token));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task Login_RepeatedWrongCodes_429WithRetryAfterEvenForAValidCode()
    {
        var (secret, _) = await EnableAsync();
        var token = await MfaTokenAsync(_server, _root);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await LoginAsync(new { mfa_token = token, code = WrongCode(secret) });
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var response = await LoginAsync(new { mfa_token = token, code = NextCode(secret) });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("""{"code":"123456"}""")]
    [InlineData("""{"mfa_token":"t"}""")]
    [InlineData("""{"mfa_token":"t","code":"123456","recovery_code":"aaaa-aaaa-aaaa"}""")]
    [InlineData("""{"mfa_token":"t","code":123456}""")]
    [InlineData("""{"mfa_token":"t","code":"123456","password":"x"}""")]
    public async Task Login_MalformedBody_422(string body)
    {
        using var response = await _server.PostAsync("/auth/mfa/totp/login", body);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
    }

    [Theory]
    [InlineData("code")]
    [InlineData("recovery_code")]
    [InlineData("password")]
    public async Task Disable_WithProof_204AndSecondStepNoLongerPossible(string proof)
    {
        var (secret, codes) = await EnableAsync();
        var value = proof switch { "code" => NextCode(secret), "recovery_code" => codes[3], _ => Password };

        using var response = await _server.PostAsync("/auth/mfa/totp/disable", Json(new Dictionary<string, string> { [proof] = value }), _root.Bearer);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var state = await _server.Runtime.Auth.Mfa.GetAsync(_root.Kind, _root.Id, CancellationToken.None);
        Assert.False(state!.Enabled);
        Assert.Null(state.Secret);
        Assert.Equal(0, _server.CountRows("_sb_recovery_codes"));
        using var login = await LoginAsync(new { mfa_token = await MfaTokenAsync(_server, _root), recovery_code = codes[4] });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Theory]
    [InlineData("code")]
    [InlineData("recovery_code")]
    [InlineData("password")]
    public async Task Disable_WrongProof_422AndStaysOn(string proof)
    {
        var (secret, _) = await EnableAsync();
        var value = proof switch { "code" => WrongCode(secret), "recovery_code" => "aaaa-bbbb-cccc", _ => "not the password at all" };

        using var response = await _server.PostAsync("/auth/mfa/totp/disable", Json(new Dictionary<string, string> { [proof] = value }), _root.Bearer);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Single(problem.Errors(proof));
        Assert.True((await _server.Runtime.Auth.Mfa.GetAsync(_root.Kind, _root.Id, CancellationToken.None))!.Enabled);
    }

    [Fact]
    public async Task Disable_TwoProofs_422()
    {
        var (secret, _) = await EnableAsync();

        using var response = await _server.PostAsync("/auth/mfa/totp/disable", Json(new { code = NextCode(secret), password = Password }), _root.Bearer);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
    }
}

public sealed class MfaTestsOnSqlite : MfaTests<Sqlite>;

public sealed class MfaTestsOnPostgres : MfaTests<Postgres>;
