namespace Sharpbase.GraphQL;

/// <summary>The kinds of fields of a record type.</summary>
internal enum RecordMemberKind
{
    /// <summary>A stored value (a relation's ids included).</summary>
    Stored,
    /// <summary>The record a to-one relation points at.</summary>
    ToOne,
    /// <summary>The records a to-many relation links to.</summary>
    ToMany,
    /// <summary>The records whose relation points at this one.</summary>
    Reverse,
}
