namespace Sharpbase.Schema;

/// <summary>The outcome of loading a schema file: the schema when it is valid, and every problem found.</summary>
/// <param name="Schema">The validated schema, or null when the file has any error.</param>
/// <param name="Diagnostics">Every problem found in the file, ordered by line; empty on success.</param>
public sealed record SchemaLoadResult(AppSchema? Schema, IReadOnlyList<SchemaDiagnostic> Diagnostics)
{
    /// <summary>True when the schema loaded with no diagnostics.</summary>
    public bool Success => Schema is not null && Diagnostics.Count == 0;
}
