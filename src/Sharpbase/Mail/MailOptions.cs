namespace Sharpbase.Mail;

/// <summary>How Sharpbase sends mail (configuration section <c>mail</c>).</summary>
public sealed class MailOptions
{
    /// <summary>The SMTP server; <see langword="null"/> (the default) writes mails into <see cref="OutboxDirectory"/> instead.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>The SMTP port (587).</summary>
    public int SmtpPort { get; set; } = 587;

    /// <summary>
    /// <c>starttls</c> (the default: upgrade the connection, refuse a server that cannot), <c>tls</c> (TLS from the
    /// first byte, usually port 465) or <c>none</c> (plain text; refused for a non-loopback host unless
    /// <see cref="AllowInsecure"/> is set).
    /// </summary>
    public string SmtpSecurity { get; set; } = "starttls";

    /// <summary>Allows <c>SmtpSecurity: none</c> to a host other than loopback (off).</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>The SMTP user name; when <see langword="null"/> (the default) no authentication is attempted.</summary>
    public string? SmtpUsername { get; set; }

    /// <summary>The SMTP password (never logged).</summary>
    public string? SmtpPassword { get; set; }

    /// <summary>The sender (<c>Sharpbase &lt;no-reply@localhost&gt;</c>).</summary>
    public string From { get; set; } = "Sharpbase <no-reply@localhost>";

    /// <summary>Where mails go when no SMTP host is set; the host sets it to <c>&lt;data folder&gt;/outbox</c>.</summary>
    public string OutboxDirectory { get; set; } = Path.Combine("sb_data", "outbox");

    /// <summary>The most mails sent in any one minute, over all recipients (60); more are refused.</summary>
    public int MaxPerMinute { get; set; } = 60;

    /// <summary>The most mails sent to one address in any one hour (5); more are refused and do not count against <see cref="MaxPerMinute"/>.</summary>
    public int MaxPerRecipientPerHour { get; set; } = 5;
}
