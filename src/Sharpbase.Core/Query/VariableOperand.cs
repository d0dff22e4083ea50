namespace Sharpbase.Query;

/// <summary>A variable: <c>@now</c> (no member), <c>@auth.id</c>, <c>@body.title</c>.</summary>
public sealed record VariableOperand(TextPosition Position, string Name, string? Member) : Operand(Position)
{
    /// <summary>The variable as written, e.g. <c>@auth.id</c>.</summary>
    public string Text => Member is null ? "@" + Name : "@" + Name + "." + Member;
}
