namespace Sharpbase.OpenApi;

/// <summary>The server's limits that the document states as schema bounds (page sizes, body size, passwords).</summary>
internal sealed record DocumentLimits(
    long MaxBodyBytes,
    int DefaultPageSize,
    int MaxPageSize,
    int MaxOffset,
    int MaxBatchSize,
    int PasswordMinLength,
    int PasswordMaxLength,
    long AccessTokenSeconds,
    bool DevMode);
