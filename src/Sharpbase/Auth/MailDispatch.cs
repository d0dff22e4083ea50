using Microsoft.Extensions.Logging;
using Sharpbase.Mail;

namespace Sharpbase.Auth;

/// <summary>
/// Sends account mail off the request path: the answer must not take longer when an account exists
/// (that would tell who has one), so the token and the message are made in the background.
/// </summary>
internal static partial class MailDispatch
{
    public static void Send(AuthServices auth, string purpose, string accountId, string email, MailKind kind) =>
        _ = Task.Run(() => SendAsync(auth, purpose, accountId, email, kind));

    private static async Task SendAsync(AuthServices auth, string purpose, string accountId, string email, MailKind kind)
    {
        try
        {
            var options = auth.Options;
            var lifetime = purpose == "verify" ? options.VerifyTokenLifetime : options.ResetTokenLifetime;
            var token = await auth.Store.IssueOneTimeAsync(purpose, AccountKind.User, accountId, auth.Now, lifetime, CancellationToken.None);
            var path = purpose == "verify" ? options.VerifyPath : options.ResetPath;
            var link = MailTemplates.BuildLink(auth.PublicUrl, path, token);
            var minutes = Math.Max(1, (int)lifetime.TotalMinutes);
            var mail = kind switch
            {
                MailKind.Verification => MailTemplates.Verification(email, options.AppName, link, minutes),
                MailKind.PasswordReset => MailTemplates.PasswordReset(email, options.AppName, link, minutes),
                _ => MailTemplates.RegistrationAttempt(email, options.AppName, link, minutes),
            };
            await auth.Mail.SendAsync(mail, CancellationToken.None);
        }
        catch (Exception e) when (e is MailDeliveryException or MailQuotaExceededException or ArgumentException or IOException or System.Data.Common.DbException)
        {
            Failed(auth.Logger, kind.ToString(), e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Account mail ({Kind}) was not sent: {Reason}")]
    private static partial void Failed(ILogger logger, string kind, string reason);
}
