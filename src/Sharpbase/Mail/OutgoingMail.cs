namespace Sharpbase.Mail;

/// <summary>One mail to one recipient; <see cref="HtmlBody"/> is optional, the text body is not.</summary>
internal sealed record OutgoingMail(string To, string Subject, string TextBody, string? HtmlBody)
{
    /// <summary>What the mail is for (<c>verification</c>, <c>password_reset</c>, …), for traces; never the address.</summary>
    public string Kind { get; init; } = "other";
}
