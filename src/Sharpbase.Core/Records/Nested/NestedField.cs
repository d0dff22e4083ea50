namespace Sharpbase.Records.Nested;

/// <summary>
/// A stored value: a system field, a visible field, or a relation's id (the JSON array of ids for a
/// to-many relation). Hidden fields are refused.
/// </summary>
public sealed record NestedField(string Key, string Field) : NestedMember(Key);
