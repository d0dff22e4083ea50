namespace Sharpbase.Schema;

/// <summary>One problem in a schema file, positioned for a human: <c>file:line: path: message</c>.</summary>
public sealed record SchemaDiagnostic(string File, int Line, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Path}: {Message}";
}
