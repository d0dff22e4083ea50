namespace Sharpbase.Auth;

/// <summary>The two kinds of account: users of the auth collection, and superusers.</summary>
internal static class AccountKind
{
    public const string User = "user";
    public const string Superuser = "superuser";
}
