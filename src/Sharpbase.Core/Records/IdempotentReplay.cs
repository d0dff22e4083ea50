namespace Sharpbase.Records;

/// <summary>A stored first response to replay for a repeated Idempotency-Key.</summary>
public sealed record IdempotentReplay(string RequestHash, RecordStatus Status, string? RecordId, long Version, string Body);
