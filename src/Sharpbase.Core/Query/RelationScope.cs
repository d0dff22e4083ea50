using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>
/// An extra condition on the rows of a collection that a path enters through a relation (its list
/// rule, for filters from clients), over the row aliased <paramref name="alias"/>; null for none.
/// </summary>
public delegate string? RelationScope(CollectionDef target, string alias);
