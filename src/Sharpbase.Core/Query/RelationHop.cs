using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>One step of a path through a relation field of <paramref name="Source"/> to <paramref name="Target"/>.</summary>
public sealed record RelationHop(CollectionDef Source, FieldDef Field, CollectionDef Target);
