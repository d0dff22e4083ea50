using Sharpbase.Schema;

namespace Sharpbase.Records;

/// <summary>One relation to expand, with the relations to expand inside the records it brings.</summary>
internal sealed record ExpandNode(FieldDef Field, CollectionDef Owner, CollectionDef Target, List<ExpandNode> Children);
