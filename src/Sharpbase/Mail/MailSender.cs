using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using Sharpbase.Hosting;
using Sharpbase.Observability;

namespace Sharpbase.Mail;

/// <summary>Sends a mail through SMTP when a host is configured, otherwise writes it as an <c>.eml</c> file into the outbox.</summary>
internal sealed class MailSender
{
    private static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(10);

    private static readonly ParserOptions AddressParsing = CreateAddressParsing();

    private readonly MailOptions _options;
    private readonly ILogger<MailSender> _logger;
    private readonly TimeProvider _time;
    private readonly MailboxAddress _from;
    private readonly SecureSocketOptions _security;
    private readonly MailSendWindow _window;
    private readonly MailRecipientWindow _recipients;
    private RedisMailQuota? _shared;

    public MailSender(MailOptions options, ILogger<MailSender> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _time = time;
        _security = ResolveSecurity(options);
        _from = TryParseAddress(options.From, out var from)
            ? from
            : throw new SharpbaseStartupException($"mail.from '{options.From}' is not a mail address");
        _window = options.MaxPerMinute >= 1
            ? new MailSendWindow(options.MaxPerMinute, time)
            : throw new SharpbaseStartupException("mail.maxPerMinute must be at least 1");
        _recipients = options.MaxPerRecipientPerHour >= 1
            ? new MailRecipientWindow(options.MaxPerRecipientPerHour, time)
            : throw new SharpbaseStartupException("mail.maxPerRecipientPerHour must be at least 1");
    }

    /// <summary>Counts the quotas in Redis from now on, so they hold for every node together; in the process while Redis cannot be reached.</summary>
    public void Share(RedisMailQuota shared) => _shared = shared;

    /// <summary>Whether <paramref name="address"/> is one mailbox with a domain that this sender accepts as a recipient.</summary>
    public static bool IsValidRecipient(string address) => TryParseAddress(address, out _);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var smtp = !string.IsNullOrWhiteSpace(_options.SmtpHost);
        var transport = smtp ? "smtp" : "outbox";
        using var span = Spans.Start("mail.send", smtp ? ActivityKind.Client : ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(Spans.MailKind, mail.Kind);
            span.SetTag(Spans.MailTransport, transport);
            if (smtp)
            {
                span.SetTag("server.address", _options.SmtpHost);
                span.SetTag("server.port", _options.SmtpPort);
            }
        }
        try
        {
            await SendCoreAsync(mail, cancellationToken);
            var outcome = smtp ? "sent" : "written";
            Spans.Tag(span, Spans.MailOutcome, outcome);
            MailMetrics.Count(mail.Kind, transport, outcome);
        }
        catch (Exception e) when (Failed(span, mail.Kind, transport, e))
        {
            throw;
        }
    }

    // Tags the span, counts the mail and lets the exception through (the filter never catches).
    private static bool Failed(Activity? span, string kind, string transport, Exception e)
    {
        var outcome = e switch
        {
            ArgumentException => "refused",
            MailQuotaExceededException => "quota_exceeded",
            OperationCanceledException => "canceled",
            _ => "failed",
        };
        Spans.Tag(span, Spans.MailOutcome, outcome);
        Spans.Failed(span, e.GetType().FullName ?? e.GetType().Name);
        MailMetrics.Count(kind, transport, outcome);
        return false;
    }

    private async Task SendCoreAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (!TryParseAddress(mail.To, out var to))
        {
            throw new ArgumentException("the recipient is not a single valid mail address", nameof(mail));
        }

        if (HasLineBreak(mail.Subject))
        {
            throw new ArgumentException("the subject holds a line break", nameof(mail));
        }

        switch (await AdmitAsync(to.Address))
        {
            case RecipientAdmission.RecipientFull:
                MailLog.RecipientQuotaExceeded(_logger, new MaskedAddress(to.Address), _options.MaxPerRecipientPerHour);
                throw new MailQuotaExceededException($"more than {_options.MaxPerRecipientPerHour} mails to one address in an hour");
            case RecipientAdmission.AllFull:
                MailLog.QuotaExceeded(_logger, new MaskedAddress(to.Address), _options.MaxPerMinute);
                throw new MailQuotaExceededException($"more than {_options.MaxPerMinute} mails in a minute");
        }

        using var message = Compose(to, mail);
        if (!string.IsNullOrWhiteSpace(_options.SmtpHost))
        {
            await DeliverAsync(_options.SmtpHost, message, to, cancellationToken);
        }
        else
        {
            await WriteToOutboxAsync(message, to, cancellationToken);
        }
    }

    private async ValueTask<RecipientAdmission> AdmitAsync(string recipient)
    {
        if (_shared is { } shared && await shared.TryAdmitAsync(recipient, _time.GetUtcNow(), _options.MaxPerRecipientPerHour, MailRecipientWindow.Window,
                _options.MaxPerMinute, MailSendWindow.Window) is { } admission)
        {
            return admission;
        }
        return _recipients.TryAdmit(recipient, _window.TryAdmit);
    }

    private MimeMessage Compose(MailboxAddress to, OutgoingMail mail)
    {
        var body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody };
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = _time.GetUtcNow(),
            Body = body.ToMessageBody(),
        };
        message.From.Add(_from);
        message.To.Add(to);
        return message;
    }

    private async Task DeliverAsync(string host, MimeMessage message, MailboxAddress to, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(SmtpTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var client = new SmtpClient { Timeout = (int)SmtpTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(host, _options.SmtpPort, _security, linked.Token);
            if (!string.IsNullOrEmpty(_options.SmtpUsername))
            {
                await client.AuthenticateAsync(_options.SmtpUsername, _options.SmtpPassword ?? string.Empty, linked.Token);
            }

            await client.SendAsync(message, linked.Token);
            await client.DisconnectAsync(quit: true, linked.Token);
        }
#pragma warning disable CA1031 // every transport fault becomes one MailDeliveryException; only the caller's cancellation passes through
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            var reason = Describe(e);
            MailLog.DeliveryFailed(_logger, new MaskedAddress(to.Address), host, reason);
            throw new MailDeliveryException($"mail not delivered through {host}:{_options.SmtpPort.ToString(CultureInfo.InvariantCulture)}: {reason}", e);
        }

        MailLog.Sent(_logger, new MaskedAddress(to.Address), host);
    }

    private async Task WriteToOutboxAsync(MimeMessage message, MailboxAddress to, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.OutboxDirectory);
        var name = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".eml";
        var path = Path.GetFullPath(Path.Combine(_options.OutboxDirectory, name));
        var partial = path + ".partial";

        // Written aside and moved, so a reader watching the outbox never sees half a mail.
        await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, path);
        MailLog.WrittenToOutbox(_logger, to.Address, path);
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => $"no answer within {SmtpTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
        MailKit.Security.AuthenticationException => "authentication failed",
        SslHandshakeException => "TLS handshake failed",
        SmtpCommandException command => $"the server refused ({(int)command.StatusCode} {command.ErrorCode})",
        SocketException socket => $"cannot connect ({socket.SocketErrorCode})",
        NotSupportedException => "the server does not support the configured security",
        SmtpProtocolException or IOException => "the connection failed",
        _ => "unexpected " + e.GetType().Name,
    };

    private static SecureSocketOptions ResolveSecurity(MailOptions options)
    {
        var security = options.SmtpSecurity?.ToUpperInvariant() switch
        {
            "STARTTLS" => SecureSocketOptions.StartTls,
            "TLS" => SecureSocketOptions.SslOnConnect,
            "NONE" => SecureSocketOptions.None,
            _ => throw new SharpbaseStartupException($"mail.smtpSecurity '{options.SmtpSecurity}' must be starttls, tls or none"),
        };
        if (!string.IsNullOrWhiteSpace(options.SmtpHost) && security == SecureSocketOptions.None && !options.AllowInsecure && !IsLoopback(options.SmtpHost))
        {
            throw new SharpbaseStartupException(
                $"mail.smtpSecurity none would send passwords and one-time links in clear text to {options.SmtpHost}; use starttls or tls, or set mail.allowInsecure");
        }

        return security;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool TryParseAddress(string? text, [NotNullWhen(true)] out MailboxAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text) || HasLineBreak(text)
            || !MailboxAddress.TryParse(AddressParsing, text, out var parsed) || string.IsNullOrEmpty(parsed.Domain))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static bool HasLineBreak(string text) => text.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static ParserOptions CreateAddressParsing()
    {
        var options = ParserOptions.Default.Clone();
        options.AllowAddressesWithoutDomain = false;
        return options;
    }
}
