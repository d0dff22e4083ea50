namespace Sharpbase.Protection;

/// <summary>The outcome of counting one request against one policy.</summary>
/// <param name="Allowed">Whether the request may go on.</param>
/// <param name="Remaining">Requests left in the current window.</param>
/// <param name="Reset">Until the quota is restored (sliding window: until the oldest counted requests leave it).</param>
/// <param name="RetryAfter">Until a rejected request could succeed.</param>
internal readonly record struct RateLimitDecision(bool Allowed, long Remaining, TimeSpan Reset, TimeSpan RetryAfter);
