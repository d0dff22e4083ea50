namespace Sharpbase.Observability;

/// <summary>What one statement shape cost so far.</summary>
/// <param name="Shape">The statement's text (values are parameters).</param>
/// <param name="Collection">The table it is about (a collection, or one of Sharpbase's own tables); null when it names none.</param>
/// <param name="Count">How many times it ran.</param>
/// <param name="TotalMs">Its total time, in milliseconds.</param>
/// <param name="MaxMs">Its longest run, in milliseconds.</param>
/// <param name="Rows">The rows it returned (read by the server) or changed, in total.</param>
public sealed record StatementStats(string Shape, string? Collection, long Count, double TotalMs, double MaxMs, long Rows);
