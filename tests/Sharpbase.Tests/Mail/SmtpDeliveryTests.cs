using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sharpbase.Mail;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Mail;

/// <summary>Sends through a real SMTP server: the maildev instance that ./test.sh starts on loopback.</summary>
public sealed class SmtpDeliveryTests
{
    [Fact]
    public async Task SendAsync_SmtpHost_DeliversToTheServer()
    {
        var (smtpPort, api) = MaildevFromEnvironment();
        var recipient = $"smtp-{Guid.NewGuid():N}@example.com";
        var link = MailTemplates.BuildLink("https://app.example.com", "/auth/verify", "tok_" + Guid.NewGuid().ToString("N"));
        var sender = new MailSender(
            new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = smtpPort, SmtpSecurity = "none", From = "Demo <no-reply@example.com>" },
            NullLogger<MailSender>.Instance,
            TimeProvider.System);

        await sender.SendAsync(MailTemplates.Verification(recipient, "Demo", link, 60), CancellationToken.None);

        var email = await WaitForMailToAsync(api, recipient);
        Assert.Equal("Confirm your email address for Demo", email.GetProperty("subject").GetString());
        Assert.Equal("no-reply@example.com", email.GetProperty("from")[0].GetProperty("address").GetString());
        Assert.Contains(link, email.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(link, email.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SmtpHost_LogsTheRecipientMasked()
    {
        var (smtpPort, api) = MaildevFromEnvironment();
        var local = "masked" + Guid.NewGuid().ToString("N");
        var recipient = local + "@example.com";
        using var logs = new LogCapture();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var sender = new MailSender(
            new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = smtpPort, SmtpSecurity = "none", From = "Demo <no-reply@example.com>" },
            loggers.CreateLogger<MailSender>(),
            TimeProvider.System);

        await sender.SendAsync(MailTemplates.Verification(recipient, "Demo", "https://app.example.com/auth/verify#token=t", 60), CancellationToken.None);

        await WaitForMailToAsync(api, recipient);
        Assert.Equal("mail to m***@example.com sent through 127.0.0.1", Assert.Single(logs.Entries).Message);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(local, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ada@example.com", "a***@example.com")]
    [InlineData("x@b.c", "x***@b.c")]
    [InlineData("\"a@b\"@example.com", "\"***@example.com")]
    [InlineData("no-at-sign", "***")]
    [InlineData("@example.com", "***")]
    public void Masked_KeepsFirstCharacterAndDomainOnly(string address, string expected) =>
        Assert.Equal(expected, new MaskedAddress(address).ToString());

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

    private static async Task<JsonElement> WaitForMailToAsync(Uri api, string recipient)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("email"));
            foreach (var email in document.RootElement.EnumerateArray())
            {
                if (email.GetProperty("to").EnumerateArray().Any(to => to.GetProperty("address").GetString() == recipient))
                {
                    return email.Clone();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"maildev at {api} has no mail to {recipient}");
            }

            await Task.Delay(200);
        }
    }
}
