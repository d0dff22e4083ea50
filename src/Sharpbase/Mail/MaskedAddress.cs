namespace Sharpbase.Mail;

/// <summary>
/// A recipient as logs show it: <c>a***@example.com</c> for <c>ada@example.com</c>, enough to tell
/// mails apart but not to read the address. Masked only when a log line is written.
/// </summary>
internal readonly record struct MaskedAddress(string Address)
{
    public override string ToString()
    {
        var at = Address.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(Address.AsSpan(0, 1), "***", Address.AsSpan(at));
    }
}
