using Microsoft.Extensions.Logging;
using MimeKit;
using Sharpbase.Hosting;
using Sharpbase.Mail;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Mail;

public sealed class MailSenderTests : IDisposable
{
    private const string Token = "tok_3f9c1a7e5b";

    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "sharpbase-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly LogCapture _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ManualTime _clock = new(new DateTimeOffset(2025, 11, 25, 17, 30, 5, 123, TimeSpan.Zero));

    public MailSenderTests() => _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs));

    public void Dispose()
    {
        _loggerFactory.Dispose();
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task SendAsync_NoSmtpHost_WritesParseableEmlIntoNewOutbox()
    {
        var sender = CreateSender();
        var link = MailTemplates.BuildLink("https://app.example.com", "/auth/verify", Token);

        await sender.SendAsync(MailTemplates.Verification("ada@example.com", "Demo", link, 60), CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_outbox));
        Assert.Matches(@"^20251125T173005123-[0-9a-f]{12}\.eml$", Path.GetFileName(file));
        using var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("ada@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("no-reply@localhost", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Confirm your email address for Demo", message.Subject);
        Assert.Contains(link, message.TextBody);
        Assert.Contains(link, message.HtmlBody);
        Assert.Contains("60 minutes", message.TextBody);
    }

    [Fact]
    public async Task SendAsync_WrittenAndOverQuota_CountsEachByKindTransportAndOutcome()
    {
        // The counter is process-wide: this test's mails carry a kind no other test uses.
        var kind = "test-" + Guid.NewGuid().ToString("N");
        var counted = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter.Name == "Sharpbase" && instrument.Name == "sharpbase.mail.messages")
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (labels.GetValueOrDefault("sharpbase.mail.kind") == kind)
            {
                counted.Enqueue($"{value} {labels["sharpbase.mail.transport"]} {labels["sharpbase.mail.outcome"]}");
            }
        });
        listener.Start();
        var sender = CreateSender(options => options.MaxPerMinute = 1);
        var mail = new OutgoingMail("ada@example.com", "Hi", "text", null) { Kind = kind };

        await sender.SendAsync(mail, CancellationToken.None);
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => sender.SendAsync(mail, CancellationToken.None));

        Assert.Equal(["1 outbox written", "1 outbox quota_exceeded"], counted.ToArray());
    }

    [Fact]
    public async Task SendAsync_NoSmtpHost_LogsRecipientAndPathButNeverTheToken()
    {
        var sender = CreateSender();
        var link = MailTemplates.BuildLink("https://app.example.com", "reset", Token);

        await sender.SendAsync(MailTemplates.PasswordReset("ada@example.com", "Demo", link, 30), CancellationToken.None);

        var line = Assert.Single(_logs.Entries, e => e.Category == typeof(MailSender).FullName).Message;
        Assert.Equal($"mail to ada@example.com written to {Assert.Single(Directory.GetFiles(_outbox))}", line);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_MoreThanMaxPerMinute_ThrowsAndWritesNothingUntilTheMinutePasses()
    {
        var sender = CreateSender(options => options.MaxPerMinute = 2);
        var mail = new OutgoingMail("ada@example.com", "Hi", "text", null);

        await sender.SendAsync(mail, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await sender.SendAsync(mail, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(29));

        await Assert.ThrowsAsync<MailQuotaExceededException>(() => sender.SendAsync(mail, CancellationToken.None));
        Assert.Equal(2, Directory.GetFiles(_outbox).Length);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await sender.SendAsync(mail, CancellationToken.None);
        Assert.Equal(3, Directory.GetFiles(_outbox).Length);
    }

    [Fact]
    public async Task SendAsync_MoreThanMaxPerRecipientPerHour_RefusedForThatAddressOnlyUntilTheHourPasses()
    {
        var sender = CreateSender(options =>
        {
            options.MaxPerRecipientPerHour = 2;
            options.MaxPerMinute = 3;
        });
        OutgoingMail To(string address) => new(address, "Hi", "text", null);

        await sender.SendAsync(To("ada@example.com"), CancellationToken.None);
        await sender.SendAsync(To("Ada@Example.com"), CancellationToken.None);
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => sender.SendAsync(To("ada@example.com"), CancellationToken.None));
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => sender.SendAsync(To("ADA@EXAMPLE.COM"), CancellationToken.None));
        // The refused ones spent nothing of the quota over all recipients (3 a minute): one is left.
        await sender.SendAsync(To("bob@example.com"), CancellationToken.None);
        Assert.Equal(3, Directory.GetFiles(_outbox).Length);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("mails to this address in an hour", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromMinutes(59));
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => sender.SendAsync(To("ada@example.com"), CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await sender.SendAsync(To("ada@example.com"), CancellationToken.None);
        Assert.Equal(4, Directory.GetFiles(_outbox).Length);
    }

    [Theory]
    [InlineData("ada@example.com\r\nBcc: eve@example.com", "Hi")]
    [InlineData("ada@example.com\nBcc: eve@example.com", "Hi")]
    [InlineData("ada@example.com", "Hi\r\nBcc: eve@example.com")]
    [InlineData("ada@example.com", "Hi\nX-Injected: 1")]
    [InlineData("not an address", "Hi")]
    [InlineData("ada", "Hi")]
    [InlineData("ada@example.com, eve@example.com", "Hi")]
    [InlineData("", "Hi")]
    public async Task SendAsync_HeaderInjectionOrBadRecipient_IsRefusedAndWritesNothing(string to, string subject)
    {
        var sender = CreateSender();

        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync(new OutgoingMail(to, subject, "text", null), CancellationToken.None));

        Assert.False(Directory.Exists(_outbox) && Directory.GetFiles(_outbox).Length > 0);
    }

    [Theory]
    [InlineData("smtp.example.com", "none", false)]
    [InlineData("10.0.0.5", "none", false)]
    [InlineData("smtp.example.com", "ssl3", true)]
    public void Constructor_InsecureOrUnknownSecurity_IsAStartupError(string host, string security, bool allowInsecure)
    {
        Assert.Throws<SharpbaseStartupException>(() => CreateSender(options =>
        {
            options.SmtpHost = host;
            options.SmtpSecurity = security;
            options.AllowInsecure = allowInsecure;
        }));
    }

    [Theory]
    [InlineData("127.0.0.1", "none", false)]
    [InlineData("localhost", "none", false)]
    [InlineData("::1", "none", false)]
    [InlineData("smtp.example.com", "none", true)]
    [InlineData("smtp.example.com", "TLS", false)]
    [InlineData("smtp.example.com", "starttls", false)]
    public void Constructor_AcceptedSecurity_Builds(string host, string security, bool allowInsecure)
    {
        _ = CreateSender(options =>
        {
            options.SmtpHost = host;
            options.SmtpSecurity = security;
            options.AllowInsecure = allowInsecure;
        });
    }

    [Fact]
    public async Task SendAsync_SmtpUnreachable_ThrowsMailDeliveryExceptionWithoutPassword()
    {
        var sender = CreateSender(options =>
        {
            options.SmtpHost = "127.0.0.1";
            options.SmtpPort = 9; // discard port: nothing listens there on a test machine
            options.SmtpSecurity = "none";
            options.SmtpUsername = "mailer";
            options.SmtpPassword = "s3cret-password";
        });

        var error = await Assert.ThrowsAsync<MailDeliveryException>(
            () => sender.SendAsync(new OutgoingMail("ada@example.com", "Hi", "text", null), CancellationToken.None));

        Assert.DoesNotContain("s3cret-password", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("s3cret-password", StringComparison.Ordinal));
    }

    private MailSender CreateSender(Action<MailOptions>? configure = null)
    {
        var options = new MailOptions { OutboxDirectory = _outbox };
        configure?.Invoke(options);
        return new MailSender(options, _loggerFactory.CreateLogger<MailSender>(), _clock);
    }
}
