namespace Sharpbase.Auth;

/// <summary>The answer to a correct password when a second factor is on: a short-lived, single-use token for <c>/auth/mfa/totp/login</c>.</summary>
internal sealed record MfaChallenge(bool MfaRequired, string MfaToken);
