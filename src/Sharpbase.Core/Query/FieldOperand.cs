namespace Sharpbase.Query;

/// <summary>A field path, <c>author.org.name</c>: each segment but the last is a relation.</summary>
public sealed record FieldOperand(TextPosition Position, IReadOnlyList<string> Path) : Operand(Position)
{
    /// <summary>The path as written.</summary>
    public string Text => string.Join('.', Path);
}
