using System.Diagnostics.Metrics;
using Sharpbase.Observability;

namespace Sharpbase.Mail;

/// <summary><c>sharpbase.mail.messages</c> on the <c>Sharpbase</c> meter: mails by kind, transport and outcome, never by address.</summary>
internal static class MailMetrics
{
    private static readonly Counter<long> Messages = SharpbaseTelemetry.Meter.CreateCounter<long>("sharpbase.mail.messages", "{message}",
        "Mails Sharpbase sent or tried to send, by kind, transport (smtp or outbox) and outcome");

    public static void Count(string kind, string transport, string outcome)
    {
        if (Messages.Enabled)
        {
            Messages.Add(1, new KeyValuePair<string, object?>(Spans.MailKind, kind), new KeyValuePair<string, object?>(Spans.MailTransport, transport),
                new KeyValuePair<string, object?>(Spans.MailOutcome, outcome));
        }
    }
}
