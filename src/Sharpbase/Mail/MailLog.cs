using Microsoft.Extensions.Logging;

namespace Sharpbase.Mail;

// Mail bodies carry one-time tokens: no message here may take a body, a link or a credential.
// Delivered mail is logged with the recipient masked (the domain and the first character), so
// production logs hold no address; the outbox (development) names it in full.
internal static partial class MailLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "mail to {To} written to {Path}")]
    public static partial void WrittenToOutbox(ILogger logger, string to, string path);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "mail to {To} sent through {SmtpHost}")]
    public static partial void Sent(ILogger logger, MaskedAddress to, string smtpHost);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "mail to {To} not delivered through {SmtpHost}: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, MaskedAddress to, string smtpHost, string reason);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "mail to {To} refused: more than {MaxPerMinute} mails in a minute")]
    public static partial void QuotaExceeded(ILogger logger, MaskedAddress to, int maxPerMinute);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "mail to {To} refused: more than {MaxPerHour} mails to this address in an hour")]
    public static partial void RecipientQuotaExceeded(ILogger logger, MaskedAddress to, int maxPerHour);
}
