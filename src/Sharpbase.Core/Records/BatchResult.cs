namespace Sharpbase.Records;

/// <summary>Either the results of every operation, or the first failure and its index (nothing written).</summary>
public sealed record BatchResult(IReadOnlyList<RecordResult> Results, RecordResult? Failure, int FailedIndex);
