namespace Sharpbase.Auth;

/// <summary>What an access token says about its bearer.</summary>
/// <param name="Subject">The account id (<c>sub</c>).</param>
/// <param name="SessionId">The session the token belongs to (<c>sid</c>); revoking the session revokes the token.</param>
/// <param name="Kind">The account kind (<c>sb_kind</c>): <c>user</c> or <c>superuser</c>.</param>
/// <param name="TokenVersion">
/// The account's token version when the token was issued (<c>sb_tv</c>); raising it makes older tokens fail.
/// </param>
public sealed record AccessTokenClaims(string Subject, string SessionId, string Kind, long TokenVersion)
{
    /// <summary>The kind of an ordinary account.</summary>
    public const string UserKind = "user";

    /// <summary>The kind of an account that bypasses rules.</summary>
    public const string SuperuserKind = "superuser";
}
