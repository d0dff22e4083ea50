namespace Sharpbase.Auth;

/// <summary>An account's TOTP state: the secret (pending until enabled), whether it is on, and the last step used.</summary>
internal sealed record MfaState(string? Secret, bool Enabled, long LastStep);
