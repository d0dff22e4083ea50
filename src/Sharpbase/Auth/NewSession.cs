namespace Sharpbase.Auth;

/// <summary>A session just opened: its id (the <c>sid</c> claim) and its first refresh token.</summary>
internal sealed record NewSession(string SessionId, string RefreshToken);
