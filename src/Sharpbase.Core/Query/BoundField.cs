using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>
/// A resolved field path: the relations it follows (none for a field of the collection itself), and
/// the final field of <paramref name="Collection"/>. System fields are represented by
/// <see cref="FieldDef"/>s of their type (<c>id</c> text, <c>created_at</c>/<c>updated_at</c> datetime, <c>version</c> integer).
/// </summary>
public sealed record BoundField(string Path, IReadOnlyList<RelationHop> Hops, CollectionDef Collection, FieldDef Field) : BoundOperand;
