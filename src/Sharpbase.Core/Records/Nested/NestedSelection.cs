namespace Sharpbase.Records.Nested;

/// <summary>What to read of a record: its members, each under its response key (unique within the selection).</summary>
public sealed record NestedSelection(IReadOnlyList<NestedMember> Members);
