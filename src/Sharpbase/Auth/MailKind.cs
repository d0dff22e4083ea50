namespace Sharpbase.Auth;

/// <summary>Which account mail to send.</summary>
internal enum MailKind
{
    /// <summary>Confirm the address.</summary>
    Verification,
    /// <summary>Set a new password.</summary>
    PasswordReset,
    /// <summary>Somebody tried to register with an address that already has an account.</summary>
    RegistrationAttempt,
}
