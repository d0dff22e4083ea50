namespace Sharpbase.Records;

/// <summary>
/// The preconditions of a write (RFC 9110 §13.2.2): <c>If-Match</c> must match the record's current
/// version and <c>If-None-Match</c> must not (<c>*</c> matches any record that exists, so
/// <c>If-None-Match: *</c> fails on every existing record). A write whose preconditions do not hold
/// changes nothing.
/// </summary>
public sealed record WritePreconditions(ETagCondition? IfMatch, ETagCondition? IfNoneMatch)
{
    /// <summary>Null when neither header was given, so a plain write carries nothing.</summary>
    public static WritePreconditions? Of(ETagCondition? ifMatch, ETagCondition? ifNoneMatch) =>
        ifMatch is null && ifNoneMatch is null ? null : new WritePreconditions(ifMatch, ifNoneMatch);

    /// <summary>True when a record at <paramref name="version"/> meets both conditions.</summary>
    public bool Hold(long version) =>
        (IfMatch is null || IfMatch.Matches(version)) && (IfNoneMatch is null || !IfNoneMatch.Matches(version));
}
