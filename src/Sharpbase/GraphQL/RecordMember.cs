namespace Sharpbase.GraphQL;

/// <summary>What a field of a record type reads: a stored value, a to-one relation, or a list relation.</summary>
/// <param name="Field">The collection's field (for a reverse list, the field of <paramref name="Source"/> that points here).</param>
/// <param name="Kind">Which of the three.</param>
/// <param name="Source">For lists: the collection that declares <paramref name="Field"/>.</param>
/// <param name="TypeName">For relations: the record type the field leads to.</param>
internal sealed record RecordMember(string Field, RecordMemberKind Kind, string? Source = null, string? TypeName = null);
