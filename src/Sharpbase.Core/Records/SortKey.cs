using Sharpbase.Schema;

namespace Sharpbase.Records;

/// <summary>One key of a list's order: a column of the collection and its direction.</summary>
internal sealed record SortKey(string Column, FieldType Type, bool Descending);
