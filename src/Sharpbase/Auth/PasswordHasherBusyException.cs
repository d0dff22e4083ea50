namespace Sharpbase.Auth;

/// <summary>
/// Every password-hashing slot stayed taken for the whole queue timeout: the server is flooded
/// with logins and should answer 503 rather than queue more memory-hard work.
/// </summary>
internal sealed class PasswordHasherBusyException : Exception
{
    public PasswordHasherBusyException()
        : base("Too many password checks are in progress; try again shortly.")
    {
    }

    public PasswordHasherBusyException(string message) : base(message)
    {
    }

    public PasswordHasherBusyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
