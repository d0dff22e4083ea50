namespace Sharpbase.Auth;

/// <summary>An API key as stored: never the key itself, only its hash and a displayable prefix.</summary>
internal sealed record ApiKeyRecord(string Id, string Prefix, string Name, string Kind, string AccountId, string CreatedAt, string? LastUsedAt);
