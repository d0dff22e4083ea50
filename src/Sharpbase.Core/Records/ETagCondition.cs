namespace Sharpbase.Records;

/// <summary>A parsed If-Match or If-None-Match: any version (<c>*</c>), or a list of versions.</summary>
public sealed record ETagCondition(bool Any, IReadOnlyList<long> Versions)
{
    /// <summary>True when the record's current version satisfies the condition.</summary>
    public bool Matches(long version) => Any || Versions.Contains(version);
}
