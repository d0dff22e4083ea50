namespace Sharpbase.Auth;

/// <summary>What sign-in needs to know about an account.</summary>
internal sealed record AccountRecord(string Kind, string Id, string Email, bool Disabled, string? PasswordHash, long TokenVersion, bool MfaEnabled);
