namespace Sharpbase.Mail;

/// <summary>One mail to one recipient; <see cref="HtmlBody"/> is optional, the text body is not.</summary>
internal sealed record OutgoingMail(string To, string Subject, string TextBody, string? HtmlBody);
