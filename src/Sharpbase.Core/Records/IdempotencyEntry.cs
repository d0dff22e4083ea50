namespace Sharpbase.Records;

/// <summary>An Idempotency-Key of one caller, with the hash of the request it first came with.</summary>
public sealed record IdempotencyEntry(string Scope, string Key, string RequestHash)
{
    /// <summary>The code of a write refused because another request with the same key got there first and is not finished.</summary>
    public const string InProgressCode = "idempotency_in_progress";

    /// <summary>What the client is told with <see cref="InProgressCode"/>.</summary>
    public const string InProgressDetail = "a request with this Idempotency-Key is still being processed; retry shortly";
}
