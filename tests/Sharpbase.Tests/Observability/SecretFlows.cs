using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MimeKit;
using Sharpbase.Tests.Auth;

namespace Sharpbase.Tests.Observability;

/// <summary>
/// Every account flow driven over HTTP — register, verify, login, refresh, API key create and use,
/// TOTP setup, enable and sign-in with a recovery code, forgot and reset, logout — collecting each
/// secret that crossed the wire, so a test can prove none of them reached a log.
/// </summary>
internal static class SecretFlows
{
    public static async Task<IReadOnlyList<string>> RunAsync(HttpClient client, string outbox)
    {
        var secrets = new List<string>();
        var email = AuthFlows.NewEmail("secrets");
        const string password = "first-password-9f3c1d";
        const string newPassword = "second-password-7a2e4b";
        secrets.AddRange([password, newPassword]);

        await SendAsync(client, "/auth/register", new { email, password }, HttpStatusCode.Accepted);
        var verifyToken = await MailTokenAsync(outbox, email, "Confirm your email");
        secrets.Add(verifyToken);
        await SendAsync(client, "/auth/verify", new { token = verifyToken }, HttpStatusCode.NoContent);

        var login = await SendAsync(client, "/auth/login", new { email, password }, HttpStatusCode.OK);
        var access = Collect(secrets, login, "access_token");
        var refreshed = await SendAsync(client, "/auth/refresh", new { refresh_token = Collect(secrets, login, "refresh_token") }, HttpStatusCode.OK);
        access = Collect(secrets, refreshed, "access_token");
        Collect(secrets, refreshed, "refresh_token");

        var created = await SendAsync(client, "/auth/api-keys", new { name = "ci" }, HttpStatusCode.Created, access);
        var key = Collect(secrets, created, "key");
        using (var me = await GetAsync(client, "/auth/me", key))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        var setup = await SendAsync(client, "/auth/mfa/totp/setup", new { }, HttpStatusCode.OK, access);
        var totpSecret = Collect(secrets, setup, "secret");
        secrets.Add(setup.GetProperty("otpauth_uri").GetString()!);
        var enabled = await SendAsync(client, "/auth/mfa/totp/enable", new { code = AuthTestAccounts.Code(totpSecret, TimeSpan.Zero) }, HttpStatusCode.OK, access);
        var recoveryCodes = enabled.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        secrets.AddRange(recoveryCodes);
        var challenge = await SendAsync(client, "/auth/login", new { email, password }, HttpStatusCode.OK);
        var mfaToken = Collect(secrets, challenge, "mfa_token");
        var second = await SendAsync(client, "/auth/mfa/totp/login", new { mfa_token = mfaToken, recovery_code = recoveryCodes[0] }, HttpStatusCode.OK);
        access = Collect(secrets, second, "access_token");
        Collect(secrets, second, "refresh_token");

        await SendAsync(client, "/auth/password/forgot", new { email }, HttpStatusCode.Accepted);
        var resetToken = await MailTokenAsync(outbox, email, "Reset your");
        secrets.Add(resetToken);
        await SendAsync(client, "/auth/password/reset", new { token = resetToken, password = newPassword }, HttpStatusCode.NoContent);
        var last = await SendAsync(client, "/auth/mfa/totp/login",
            new { mfa_token = Collect(secrets, await SendAsync(client, "/auth/login", new { email, password = newPassword }, HttpStatusCode.OK), "mfa_token"), recovery_code = recoveryCodes[1] },
            HttpStatusCode.OK);
        await SendAsync(client, "/auth/logout", new { }, HttpStatusCode.NoContent, Collect(secrets, last, "access_token"));

        // A JWT's signature alone is secret enough to look for, whichever way a log might cut a token.
        secrets.AddRange(secrets.Where(s => s.Count(c => c == '.') == 2).Select(s => s.Split('.')[2]).ToList());
        return secrets;
    }

    /// <summary>Every secret that appears in <paramref name="log"/>.</summary>
    public static IReadOnlyList<string> Leaked(IReadOnlyList<string> secrets, string log) => [.. secrets.Where(s => log.Contains(s, StringComparison.Ordinal))];

    private static string Collect(List<string> secrets, JsonElement body, string name)
    {
        var value = body.GetProperty(name).GetString()!;
        secrets.Add(value);
        return value;
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, string path, object body, HttpStatusCode expected, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client.SendAsync(request);
    }

    private static async Task<string> MailTokenAsync(string outbox, string to, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            foreach (var file in Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml") : [])
            {
                using var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == to) && (message.Subject ?? string.Empty).Contains(subject, StringComparison.Ordinal))
                {
                    return AuthFlows.LinkOf(message).Token;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"no mail to {to} with '{subject}' in {outbox}");
            await Task.Delay(100);
        }
    }
}
