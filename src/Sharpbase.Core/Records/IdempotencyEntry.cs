namespace Sharpbase.Records;

/// <summary>An Idempotency-Key of one caller, with the hash of the request it first came with.</summary>
public sealed record IdempotencyEntry(string Scope, string Key, string RequestHash);
