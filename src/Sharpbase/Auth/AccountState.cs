namespace Sharpbase.Auth;

/// <summary>What every authenticated request checks: the account exists, is enabled, and its token version.</summary>
internal sealed record AccountState(long TokenVersion, bool Disabled, IReadOnlyList<string> Roles)
{
    /// <summary>The account's single-valued visible fields, for <c>@auth.&lt;field&gt;</c> in rules.</summary>
    public IReadOnlyDictionary<string, object?> Fields { get; init; } = new Dictionary<string, object?>();
}
