namespace Sharpbase.Mail;

/// <summary>More mails were asked for in the last minute than <see cref="MailOptions.MaxPerMinute"/> allows; nothing was sent.</summary>
internal sealed class MailQuotaExceededException : Exception
{
    public MailQuotaExceededException()
    {
    }

    public MailQuotaExceededException(string message) : base(message)
    {
    }

    public MailQuotaExceededException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
