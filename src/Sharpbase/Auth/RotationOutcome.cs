namespace Sharpbase.Auth;

/// <summary>The result of presenting a refresh token.</summary>
internal enum RotationStatus
{
    /// <summary>Rotated: a new refresh token replaces the presented one.</summary>
    Rotated,
    /// <summary>Unknown, expired or revoked.</summary>
    Invalid,
    /// <summary>Already rotated once: a replay, so the whole session was revoked.</summary>
    Reused,
}

/// <summary>A refresh attempt's status and, when rotated, the session and its new refresh token.</summary>
internal sealed record RotationOutcome(RotationStatus Status, string? Kind = null, string? AccountId = null, string? SessionId = null, string? RefreshToken = null);
