using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Infrastructure;
using static Sharpbase.Tests.Auth.AuthFlows;

namespace Sharpbase.Tests.Auth;

/// <summary>Register, sign in, sessions and their ends, over HTTP against a real server (the blog example).</summary>
public abstract class AccountFlowTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _dev = null!;
    private SharpbaseServer _production = null!;

    public async Task InitializeAsync()
    {
        _dev = await SharpbaseServer.StartAsync<TDatabase>();
        _production = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
    }

    public async Task DisposeAsync()
    {
        await _dev.DisposeAsync();
        await _production.DisposeAsync();
    }

    [Fact]
    public async Task Register_NewAndTakenAddress_Same202Body()
    {
        var email = NewEmail();

        using var first = await _dev.PostAsync("/auth/register", ToJson(new { email, password = Password }));
        using var second = await _dev.PostAsync("/auth/register", ToJson(new { email, password = "another password" }));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        // The second registration changed nothing: the first password still signs in.
        await _dev.LoginAsync(email);
    }

    [Theory]
    [InlineData("""{"email":"not-an-email","password":"correct horse battery"}""", "email")]
    [InlineData("""{"password":"correct horse battery"}""", "email")]
    [InlineData("""{"email":"short@example.com","password":"1234567"}""", "password")]
    [InlineData("""{"email":"ro1@example.com","password":"correct horse battery","verified":true}""", "verified")]
    [InlineData("""{"email":"ro2@example.com","password":"correct horse battery","roles":["admin"]}""", "roles")]
    [InlineData("""{"email":"ro3@example.com","password":"correct horse battery","disabled":false}""", "disabled")]
    [InlineData("""{"email":"ro4@example.com","password":"correct horse battery","id":"0190a5b2-7c3e-7def-8a12-3b4c5d6e7f81"}""", "id")]
    public async Task Register_InvalidInput_422WithFieldError(string body, string field)
    {
        using var response = await _dev.PostAsync("/auth/register", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.NotEmpty(problem.Errors(field));
        using var login = await _dev.PostLoginAsync(JsonDocument.Parse(body).RootElement.TryGetProperty("email", out var e) ? e.GetString()! : "x@example.com", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Login_RegisteredUser_TokensAndRecordWithoutSecrets()
    {
        var email = NewEmail();
        await _dev.RegisterAsync(email, extra: new { name = "Ann" });

        using var response = await _dev.PostLoginAsync(email.ToUpperInvariant(), Password);

        var session = await ReadSessionAsync(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", session.Body.GetProperty("token_type").GetString());
        Assert.Equal(900, session.Body.GetProperty("expires_in").GetInt32());
        Assert.Equal(3, session.AccessToken.Split('.').Length);
        Assert.True(session.RefreshToken.Length >= 43, session.RefreshToken);
        var user = session.Body.GetProperty("user");
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("Ann", user.GetProperty("name").GetString());
        Assert.False(user.GetProperty("verified").GetBoolean());
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.Equal(0, user.GetProperty("roles").GetArrayLength());
        // Names and values are checked apart: a random token may well contain "mfa" in its text.
        var (names, values) = NamesAndStrings(session.Body);
        Assert.DoesNotContain(names, n => n.Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.Contains("mfa", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(values, v => v.Contains("argon2", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Password, values);
    }

    private static (List<string> Names, List<string> Strings) NamesAndStrings(JsonElement element)
    {
        var names = new List<string>();
        var strings = new List<string>();
        Walk(element);
        return (names, strings);

        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                    {
                        names.Add(property.Name);
                        Walk(property.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }
                    break;
                case JsonValueKind.String:
                    strings.Add(e.GetString()!);
                    break;
            }
        }
    }

    [Fact]
    public async Task Me_WithAccessToken_TheUser()
    {
        var session = await _dev.RegisterAndLoginAsync();

        using var response = await _dev.MeAsync(session.AccessToken);

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(session.UserId, body.GetProperty("user").GetProperty("id").GetString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_WithoutToken_401WithChallenge()
    {
        using var response = await _dev.GetAsync("/auth/me");

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task CreatePost_SignedInUser_AuthorIsTheUser()
    {
        var session = await _dev.RegisterAndLoginAsync();

        using var response = await _dev.PostAsync("/api/posts", """{"title":"Hello"}""", Bearer(session.AccessToken));

        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.GetRawText());
        Assert.Equal(session.UserId, body.GetProperty("author").GetString());
    }

    [Fact]
    public async Task Logout_ThisSession_ItsTokenFailsOtherSessionWorks()
    {
        var email = NewEmail();
        await _dev.RegisterAsync(email);
        var phone = await _dev.LoginAsync(email);
        var laptop = await _dev.LoginAsync(email);

        using var response = await _dev.SendAsync(HttpMethod.Post, "/auth/logout", null, Bearer(phone.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await _dev.AssertMeRefusedAsync(phone.AccessToken);
        using (var refresh = await _dev.RefreshAsync(phone.RefreshToken))
        {
            await refresh.AssertUnauthorizedAsync("invalid_grant");
        }
        await _dev.AssertMeIsAsync(laptop.AccessToken, laptop.UserId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"all":false}""")]
    public async Task Logout_EmptyOrFalseBody_EndsOnlyThisSession(string body)
    {
        var email = NewEmail();
        await _dev.RegisterAsync(email);
        var phone = await _dev.LoginAsync(email);
        var laptop = await _dev.LoginAsync(email);

        using var response = await _dev.PostAsync("/auth/logout", body, Bearer(phone.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await _dev.AssertMeRefusedAsync(phone.AccessToken);
        await _dev.AssertMeIsAsync(laptop.AccessToken, laptop.UserId);
    }

    [Fact]
    public async Task Logout_WithoutToken_401()
    {
        using var response = await _dev.SendAsync(HttpMethod.Post, "/auth/logout");

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task Logout_All_EverySessionFails()
    {
        var email = NewEmail();
        await _dev.RegisterAsync(email);
        var phone = await _dev.LoginAsync(email);
        var laptop = await _dev.LoginAsync(email);

        using var response = await _dev.PostAsync("/auth/logout", """{"all":true}""", Bearer(phone.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await _dev.AssertMeRefusedAsync(phone.AccessToken);
        await _dev.AssertMeRefusedAsync(laptop.AccessToken);
        using var refresh = await _dev.RefreshAsync(laptop.RefreshToken);
        await refresh.AssertUnauthorizedAsync("invalid_grant");
    }

    [Fact]
    public async Task Refresh_ValidToken_NewTokensThatWork()
    {
        var first = await _dev.RegisterAndLoginAsync();

        using var response = await _dev.RefreshAsync(first.RefreshToken);

        var second = await ReadSessionAsync(response);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(first.UserId, second.UserId);
        await _dev.AssertMeIsAsync(second.AccessToken, first.UserId);
        using var again = await _dev.RefreshAsync(second.RefreshToken);
        await ReadSessionAsync(again);
    }

    [Fact]
    public async Task Refresh_RotatedTokenReused_401AndWholeFamilyRevoked()
    {
        var original = await _dev.RegisterAndLoginAsync();
        using var rotation = await _dev.RefreshAsync(original.RefreshToken);
        var rotated = await ReadSessionAsync(rotation);

        using var reuse = await _dev.RefreshAsync(original.RefreshToken);

        await reuse.AssertUnauthorizedAsync("invalid_grant");
        using (var next = await _dev.RefreshAsync(rotated.RefreshToken))
        {
            await next.AssertUnauthorizedAsync("invalid_grant");
        }
        await _dev.AssertMeRefusedAsync(rotated.AccessToken);
        await _dev.AssertMeRefusedAsync(original.AccessToken);
    }

    [Fact]
    public async Task Refresh_SameTokenTwiceAtOnce_ExactlyOneSucceeds()
    {
        var session = await _dev.RegisterAndLoginAsync();

        var responses = await Task.WhenAll(_dev.RefreshAsync(session.RefreshToken), _dev.RefreshAsync(session.RefreshToken));

        try
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], responses.Select(r => r.StatusCode).Order());
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-refresh-token")]
    public async Task Refresh_UnknownToken_401(string token)
    {
        using var response = await _dev.RefreshAsync(token);

        await response.AssertUnauthorizedAsync("invalid_grant");
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_422AndNothingChanges()
    {
        var email = NewEmail();
        await _dev.RegisterAsync(email);
        var session = await _dev.LoginAsync(email);

        using var response = await _dev.PostAsync("/auth/password/change", ToJson(new { current_password = "wrong password", new_password = "a brand new password" }),
            Bearer(session.AccessToken));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.NotEmpty(problem.Errors("current_password"));
        await _dev.AssertMeIsAsync(session.AccessToken, session.UserId);
        await _dev.LoginAsync(email);
    }

    [Fact]
    public async Task ChangePassword_WithoutToken_401()
    {
        using var response = await _dev.PostAsync("/auth/password/change", ToJson(new { current_password = Password, new_password = "a brand new password" }));

        await response.AssertUnauthorizedAsync();
    }

    [Fact]
    public async Task ChangePassword_CurrentPassword_OldSessionsFailFreshSessionWorks()
    {
        var email = NewEmail();
        await _dev.RegisterAsync(email);
        var here = await _dev.LoginAsync(email);
        var elsewhere = await _dev.LoginAsync(email);
        const string next = "a brand new password";

        using var response = await _dev.PostAsync("/auth/password/change", ToJson(new { current_password = Password, new_password = next }), Bearer(here.AccessToken));

        var fresh = await ReadSessionAsync(response);
        await _dev.AssertMeRefusedAsync(here.AccessToken);
        await _dev.AssertMeRefusedAsync(elsewhere.AccessToken);
        using (var refresh = await _dev.RefreshAsync(elsewhere.RefreshToken))
        {
            await refresh.AssertUnauthorizedAsync("invalid_grant");
        }
        await _dev.AssertMeIsAsync(fresh.AccessToken, here.UserId);
        using (var refresh = await _dev.RefreshAsync(fresh.RefreshToken))
        {
            await ReadSessionAsync(refresh);
        }
        using (var old = await _dev.PostLoginAsync(email, Password))
        {
            await old.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        await _dev.LoginAsync(email, next);
    }

    [Fact]
    public async Task SuperuserLogin_SuperuserPassesAbsentRule_UserGets403()
    {
        var superuser = await _production.SuperuserAsync();
        var user = await _production.RegisterAndLoginAsync();

        // The blog's tags have no create rule: superusers only.
        using var asSuperuser = await _production.PostAsync("/api/tags", $$"""{"name":"t{{Guid.NewGuid():N}}"}""", Bearer(superuser.AccessToken));
        using var asUser = await _production.PostAsync("/api/tags", """{"name":"mine"}""", Bearer(user.AccessToken));

        Assert.Equal(HttpStatusCode.Created, asSuperuser.StatusCode);
        await asUser.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(superuser.UserId, superuser.Body.GetProperty("superuser").GetProperty("id").GetString());
    }

    [Fact]
    public async Task SuperuserLogin_UserCredentials_401AndUserLoginRefusesSuperuser()
    {
        var email = NewEmail();
        await _production.RegisterAsync(email);
        var superuser = await _production.SuperuserAsync();
        var superuserEmail = superuser.Body.GetProperty("superuser").GetProperty("email").GetString()!;

        using var userAsSuperuser = await _production.PostLoginAsync(email, Password, "/auth/superuser/login");
        using var superuserAsUser = await _production.PostLoginAsync(superuserEmail, Password);

        await userAsSuperuser.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await superuserAsUser.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task DisableUser_BySuperuser_OlderTokenFailsAndLoginRefused()
    {
        var superuser = await _production.SuperuserAsync();
        var email = NewEmail();
        await _production.RegisterAsync(email);
        var user = await _production.LoginAsync(email);
        await _production.AssertMeIsAsync(user.AccessToken, user.UserId);

        using var patch = await _production.PatchAsync("/api/users/" + user.UserId, """{"disabled":true}""", Bearer(superuser.AccessToken));

        Assert.True(patch.StatusCode == HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        await _production.AssertMeRefusedAsync(user.AccessToken);
        using (var login = await _production.PostLoginAsync(email, Password))
        {
            await login.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using (var refresh = await _production.RefreshAsync(user.RefreshToken))
        {
            await refresh.AssertUnauthorizedAsync("invalid_grant");
        }
    }

    [Fact]
    public async Task DisableThenEnableUser_BySuperuser_OldSessionsStayEndedAndLoginWorks()
    {
        var superuser = await _production.SuperuserAsync();
        var email = NewEmail();
        await _production.RegisterAsync(email);
        var user = await _production.LoginAsync(email);

        using (var disable = await _production.PatchAsync("/api/users/" + user.UserId, """{"disabled":true}""", Bearer(superuser.AccessToken)))
        using (var enable = await _production.PatchAsync("/api/users/" + user.UserId, """{"disabled":false}""", Bearer(superuser.AccessToken)))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }

        await _production.AssertMeRefusedAsync(user.AccessToken);
        using (var refresh = await _production.RefreshAsync(user.RefreshToken))
        {
            await refresh.AssertUnauthorizedAsync("invalid_grant");
        }
        var again = await _production.LoginAsync(email);
        await _production.AssertMeIsAsync(again.AccessToken, user.UserId);
    }

    [Fact]
    public async Task ChangeEmail_BySuperuserInMixedCase_StoredLowerCasedAndSignInWorksInAnyCase()
    {
        var superuser = await _production.SuperuserAsync();
        var user = await _production.RegisterAndLoginAsync();
        var changed = "Mixed.Case." + NewEmail().ToUpperInvariant();

        using var patch = await _production.PatchAsync("/api/users/" + user.UserId, ToJson(new { email = changed }), Bearer(superuser.AccessToken));

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(changed.ToLowerInvariant(), (await patch.JsonAsync()).GetProperty("email").GetString());
        var session = await _production.LoginAsync(changed);
        await _production.AssertMeIsAsync(session.AccessToken, user.UserId);
    }

    [Fact]
    public async Task CreateUser_BySuperuserWithDeletedAccountsId_422AndOldTokenStaysRefused()
    {
        var superuser = await _production.SuperuserAsync();
        var user = await _production.RegisterAndLoginAsync();
        using (var delete = await _production.DeleteAsync("/api/users/" + user.UserId, Bearer(superuser.AccessToken)))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var create = await _production.PostAsync("/api/users", ToJson(new { id = user.UserId, email = NewEmail() }), Bearer(superuser.AccessToken));

        var problem = await create.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(["is read-only"], problem.Errors("id"));
        using var read = await _production.GetAsync("/api/users/" + user.UserId, Bearer(superuser.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        await _production.AssertMeRefusedAsync(user.AccessToken);
    }

    // Roles are what rules read as @auth.roles; anything but a list of distinct names would silently
    // grant nothing, so it is refused on create and on update, and nothing is written.
    [Theory]
    [InlineData("\"editor\"")]
    [InlineData("{\"editor\":true}")]
    [InlineData("[1]")]
    [InlineData("[\"editor\",\"editor\"]")]
    [InlineData("[\"\"]")]
    [InlineData("[\" editor\"]")]
    [InlineData("5")]
    public async Task UserRoles_NotAListOfNames_422AndNothingWritten(string roles)
    {
        var superuser = await _production.SuperuserAsync();
        var user = await _production.RegisterAndLoginAsync();

        using var create = await _production.PostAsync("/api/users", $$"""{"email":"{{NewEmail()}}","roles":{{roles}}}""", Bearer(superuser.AccessToken));
        using var update = await _production.PatchAsync("/api/users/" + user.UserId, $$"""{"roles":{{roles}}}""", Bearer(superuser.AccessToken));
        using var valid = await _production.PostAsync("/api/users", $$"""{"email":"{{NewEmail()}}","roles":["editor","author"]}""", Bearer(superuser.AccessToken));
        using var read = await _production.GetAsync("/api/users/" + user.UserId, Bearer(superuser.AccessToken));

        Assert.Single((await create.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")).Errors("roles"));
        Assert.Single((await update.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")).Errors("roles"));
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        Assert.Equal(["editor", "author"], (await valid.JsonAsync()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var stored = await read.JsonAsync();
        Assert.Equal(0, stored.GetProperty("roles").GetArrayLength());
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task DeleteUser_BySuperuser_TokenFailsAtOnce()
    {
        var superuser = await _production.SuperuserAsync();
        var user = await _production.RegisterAndLoginAsync();
        await _production.AssertMeIsAsync(user.AccessToken, user.UserId);

        using var delete = await _production.DeleteAsync("/api/users/" + user.UserId, Bearer(superuser.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await _production.AssertMeRefusedAsync(user.AccessToken);
        using var refresh = await _production.RefreshAsync(user.RefreshToken);
        await refresh.AssertUnauthorizedAsync("invalid_grant");
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("token")]
    [InlineData("api_key")]
    public async Task Me_TokenInQueryString_401(string name)
    {
        var session = await _dev.RegisterAndLoginAsync();

        using var response = await _dev.GetAsync($"/auth/me?{name}={Uri.EscapeDataString(session.AccessToken)}");

        await response.AssertUnauthorizedAsync("invalid_request");
    }

    [Fact]
    public async Task Me_TokenInQueryStringBesideValidHeader_401()
    {
        var session = await _dev.RegisterAndLoginAsync();

        using var response = await _dev.GetAsync($"/auth/me?access_token={Uri.EscapeDataString(session.AccessToken)}", Bearer(session.AccessToken));

        await response.AssertUnauthorizedAsync("invalid_request");
    }
}

public sealed class AccountFlowTestsOnSqlite : AccountFlowTests<Sqlite>;

public sealed class AccountFlowTestsOnPostgres : AccountFlowTests<Postgres>;
