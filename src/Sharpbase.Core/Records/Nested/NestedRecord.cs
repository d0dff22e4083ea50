namespace Sharpbase.Records.Nested;

/// <summary>
/// The record a to-one relation <paramref name="Field"/> points at, or null when there is none or
/// the caller's view rule of its collection hides it.
/// </summary>
public sealed record NestedRecord(string Key, string Field, NestedSelection Selection) : NestedMember(Key);
