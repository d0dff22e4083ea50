namespace Sharpbase.Mail;

/// <summary>The SMTP server could not be reached or refused the mail; the message never holds a secret.</summary>
internal sealed class MailDeliveryException : Exception
{
    public MailDeliveryException()
    {
    }

    public MailDeliveryException(string message) : base(message)
    {
    }

    public MailDeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
