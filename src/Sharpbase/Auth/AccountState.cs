namespace Sharpbase.Auth;

/// <summary>What every authenticated request checks: the account exists, is enabled, and its token version.</summary>
internal sealed record AccountState(long TokenVersion, bool Disabled, IReadOnlyList<string> Roles);
