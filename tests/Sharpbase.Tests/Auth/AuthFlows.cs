using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using MimeKit;
using Sharpbase.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Auth;

/// <summary>A signed-in session as the login answer gave it.</summary>
public sealed record Session(string AccessToken, string RefreshToken, string UserId, JsonElement Body);

/// <summary>The account steps the HTTP auth tests share: register, sign in, read the outbox, create a superuser.</summary>
public static partial class AuthFlows
{
    public const string Password = "correct horse battery";

    /// <summary>The blog example with extra lines under its <c>settings:</c> section (two-space indented YAML).</summary>
    /// <summary>
    /// The blog example with extra settings, and one generous rate limit in place of the example's
    /// (these classes make more sign-in calls a minute than the example's `auth` policy allows; rate
    /// limits have their own tests).
    /// </summary>
    public static string BlogWith(string settings)
    {
        var blog = SharpbaseServer.BlogSchema;
        Assert.EndsWith("\n", blog);
        Assert.Matches(@"(?m)^settings:", blog);
        var limits = System.Text.RegularExpressions.Regex.Replace(blog, @"(?m)^  rate_limits:\n(    - .*\n)+", "  rate_limits:\n    - { name: tests, routes: [\"/*\"], per: ip, limit: 100000, window: 1m }\n");
        Assert.NotEqual(blog, limits);
        return limits + settings;
    }

    /// <summary>Cheap Argon2 parameters for classes that are not about the hashing cost.</summary>
    public const string CheapHashing = "  auth: { Password: { MemoryKiB: 64, Iterations: 1 } }\n";

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public static string ToJson(object value) => JsonSerializer.Serialize(value);

    public static Action<HttpRequestMessage> Bearer(string token) =>
        request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    public static async Task RegisterAsync(this SharpbaseServer server, string email, string password = Password, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["email"] = email, ["password"] = password };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }
        using var response = await server.PostAsync("/auth/register", ToJson(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"register: expected 202, got {(int)response.StatusCode}: {text}");
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(this SharpbaseServer server, string email, string password, string path = "/auth/login") =>
        await server.PostAsync(path, ToJson(new { email, password }));

    public static async Task<Session> LoginAsync(this SharpbaseServer server, string email, string password = Password)
    {
        using var response = await server.PostLoginAsync(email, password);
        return await ReadSessionAsync(response);
    }

    public static async Task<Session> ReadSessionAsync(HttpResponseMessage response, string account = "user")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 with tokens, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        return new Session(body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!,
            body.GetProperty(account).GetProperty("id").GetString()!, body);
    }

    public static async Task<Session> RegisterAndLoginAsync(this SharpbaseServer server, string? email = null)
    {
        email ??= NewEmail();
        await server.RegisterAsync(email);
        return await server.LoginAsync(email);
    }

    public static async Task<HttpResponseMessage> MeAsync(this SharpbaseServer server, string accessToken) =>
        await server.GetAsync("/auth/me", Bearer(accessToken));

    public static async Task<HttpResponseMessage> RefreshAsync(this SharpbaseServer server, string refreshToken) =>
        await server.PostAsync("/auth/refresh", ToJson(new { refresh_token = refreshToken }));

    /// <summary>Asserts the request was refused as unauthenticated, with the Bearer challenge.</summary>
    public static async Task AssertUnauthorizedAsync(this HttpResponseMessage response, string error = "invalid_token")
    {
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal($"Bearer error=\"{error}\"", string.Join(",", response.Headers.GetValues("WWW-Authenticate")));
    }

    public static async Task AssertMeIsAsync(this SharpbaseServer server, string accessToken, string userId)
    {
        using var me = await server.MeAsync(accessToken);
        var text = await me.Content.ReadAsStringAsync();
        Assert.True(me.StatusCode == HttpStatusCode.OK, $"/auth/me: expected 200, got {(int)me.StatusCode}: {text}");
        Assert.Equal(userId, JsonDocument.Parse(text).RootElement.GetProperty("user").GetProperty("id").GetString());
    }

    /// <summary>Ends the session of <paramref name="accessToken"/> through <paramref name="server"/> and checks it was answered 204.</summary>
    public static async Task LogoutAsync(this SharpbaseServer server, string accessToken)
    {
        using var logout = await server.SendAsync(HttpMethod.Post, "/auth/logout", null, Bearer(accessToken));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
    }

    public static async Task AssertMeRefusedAsync(this SharpbaseServer server, string accessToken)
    {
        using var me = await server.MeAsync(accessToken);
        await me.AssertUnauthorizedAsync();
    }

    /// <summary>Creates a superuser through the same code as the CLI and the first-start seed, and signs in.</summary>
    public static async Task<Session> SuperuserAsync(this SharpbaseServer server)
    {
        var email = NewEmail("admin");
        var (created, error) = await SuperuserAccounts.CreateAsync(server.Runtime.Auth, email, Password, CancellationToken.None);
        Assert.True(error is null, error);
        Assert.Equal(email, created);
        using var response = await server.PostLoginAsync(email, Password, "/auth/superuser/login");
        return await ReadSessionAsync(response, "superuser");
    }

    /// <summary>Waits (up to 10 s: mail is made in the background) for the outbox mail to an address whose subject contains a text.</summary>
    public static async Task<MimeMessage> WaitForMailAsync(this SharpbaseServer server, string to, string subjectContains)
    {
        var outbox = Path.Combine(server.DataDirectory, "outbox");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (Directory.Exists(outbox))
            {
                foreach (var file in Directory.GetFiles(outbox, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == to) && (message.Subject ?? "").Contains(subjectContains, StringComparison.Ordinal))
                    {
                        return message;
                    }
                    message.Dispose();
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no mail to {to} with '{subjectContains}' in {outbox}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>All outbox mails to an address.</summary>
    public static IReadOnlyList<MimeMessage> OutboxMailsTo(this SharpbaseServer server, string to)
    {
        var outbox = Path.Combine(server.DataDirectory, "outbox");
        if (!Directory.Exists(outbox))
        {
            return [];
        }
        return [.. Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f)).Where(m => m.To.Mailboxes.Any(a => a.Address == to))];
    }

    /// <summary>The one link in a mail's text body, and its <c>token</c> parameter.</summary>
    public static (Uri Link, string Token) LinkOf(string text)
    {
        var links = LinkPattern().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(links.Count == 1, "expected one link in:\n" + text);
        var link = new Uri(links[0]);
        var token = QueryHelpers.ParseQuery(link.Fragment.TrimStart('#'))["token"].ToString();
        Assert.False(string.IsNullOrEmpty(token), "the link has no token: " + link);
        return (link, token);
    }

    public static (Uri Link, string Token) LinkOf(MimeMessage message) => LinkOf(message.TextBody ?? "");

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex LinkPattern();
}
