using System.Globalization;
using System.Net;

namespace Sharpbase.Mail;

/// <summary>The account mails, each with a text and an HTML body; links come from <see cref="BuildLink"/>.</summary>
internal static class MailTemplates
{
    /// <summary>
    /// Joins the configured public URL, a path and a one-time token into <c>{publicUrl}/{path}#token={token}</c>.
    /// Links are never built from the request's Host header, which a client controls.
    /// </summary>
    public static string BuildLink(string publicUrl, string path, string token)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var baseUri) || !IsHttp(baseUri)
            || baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0 || baseUri.UserInfo.Length > 0)
        {
            throw new ArgumentException("the public URL must be an absolute http or https URL without user, query or fragment", nameof(publicUrl));
        }

        if (!path.All(IsPathChar) || path.Split('/').Contains(".."))
        {
            throw new ArgumentException("the path may hold only letters, digits, '/', '-', '_', '.' and '~', and no '..' segment", nameof(path));
        }

        return baseUri.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/') + "#token=" + Uri.EscapeDataString(token);
    }

    /// <summary>Asks the owner of <paramref name="to"/> to confirm the address.</summary>
    public static OutgoingMail Verification(string to, string appName, string link, int expiresInMinutes) => Compose(
        "verification",
        to,
        $"Confirm your email address for {appName}",
        $"Please confirm that this is your email address for {appName}.",
        "Confirm my address",
        link,
        expiresInMinutes,
        "If you did not create an account, you can ignore this mail.");

    /// <summary>Sends a password-reset link to <paramref name="to"/>.</summary>
    public static OutgoingMail PasswordReset(string to, string appName, string link, int expiresInMinutes) => Compose(
        "password_reset",
        to,
        $"Reset your {appName} password",
        $"Someone asked to reset the password of your {appName} account.",
        "Choose a new password",
        link,
        expiresInMinutes,
        "If it was not you, ignore this mail: your password stays as it is.");

    /// <summary>
    /// Tells the owner of an existing account that someone tried to register with the address, so that
    /// registration answers the same whether or not the address is taken; the link is a password-reset link.
    /// </summary>
    public static OutgoingMail RegistrationAttempt(string to, string appName, string link, int expiresInMinutes) => Compose(
        "registration_attempt",
        to,
        $"Someone tried to sign up to {appName} with your address",
        $"Someone tried to create a {appName} account with this email address, but you already have one. If it was you and you forgot your password, you can choose a new one.",
        "Choose a new password",
        link,
        expiresInMinutes,
        "If it was not you, ignore this mail: nothing has changed on your account.");

    private static OutgoingMail Compose(string kind, string to, string subject, string intro, string action, string link, int expiresInMinutes, string outro)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiresInMinutes, 1);
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || !IsHttp(uri))
        {
            throw new ArgumentException("the link must be an absolute http or https URL", nameof(link));
        }

        var expiry = string.Create(CultureInfo.InvariantCulture, $"The link expires in {expiresInMinutes} minutes.");
        var text = $"{intro}\n\n{action}:\n{link}\n\n{expiry}\n{outro}\n";
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family: sans-serif; line-height: 1.5">
            <p>{Html(intro)}</p>
            <p><a href="{Html(link)}">{Html(action)}</a></p>
            <p style="color: #555">{Html(expiry)}<br>{Html(outro)}</p>
            <p style="color: #555; font-size: smaller">{Html(link)}</p>
            </body></html>

            """;
        return new OutgoingMail(to, subject, text, html) { Kind = kind };
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp;

    private static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~';
}
