using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>The state of one read of a schema file: the diagnostics so far and relations to check at the end.</summary>
internal sealed class SchemaReadContext(string fileName)
{
    private readonly List<SchemaDiagnostic> _diagnostics = [];
    private readonly List<RelationReference> _relations = [];

    public bool HasErrors => _diagnostics.Count > 0;

    public IReadOnlyList<RelationReference> Relations => _relations;

    public void Error(int line, string path, string message) => _diagnostics.Add(new SchemaDiagnostic(fileName, line, path, message));

    public void Error(YamlNode node, string path, string message) => Error(YamlNodes.Line(node), path, message);

    public void AddRelation(RelationReference relation) => _relations.Add(relation);

    /// <summary>The diagnostics ordered by line; found-order is kept within a line.</summary>
    public IReadOnlyList<SchemaDiagnostic> SortedDiagnostics() => [.. _diagnostics.OrderBy(d => d.Line)];
}
