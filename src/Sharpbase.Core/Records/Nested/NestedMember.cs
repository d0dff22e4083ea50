namespace Sharpbase.Records.Nested;

/// <summary>One member of a <see cref="NestedSelection"/>, written under <paramref name="Key"/>.</summary>
public abstract record NestedMember(string Key);
