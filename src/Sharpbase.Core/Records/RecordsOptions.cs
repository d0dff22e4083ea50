namespace Sharpbase.Records;

/// <summary>Engine settings.</summary>
public sealed record RecordsOptions
{
    /// <summary>Default page size of a list (20).</summary>
    public int DefaultPageSize { get; init; } = 20;

    /// <summary>Largest page size a client may ask for (200).</summary>
    public int MaxPageSize { get; init; } = 200;

    /// <summary>Largest offset a client may ask for (10,000); deeper pages use the cursor.</summary>
    public int MaxOffset { get; init; } = 10_000;

    /// <summary>How long an Idempotency-Key's first response is replayed (24 hours).</summary>
    public TimeSpan IdempotencyWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The secret that signs list cursors (32 random bytes; the same on every node).</summary>
    public byte[] CursorKey { get; init; } = [];

    /// <summary>Most operations in one batch (100).</summary>
    public int MaxBatchSize { get; init; } = 100;
}
