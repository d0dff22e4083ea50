using Sharpbase.Query;

namespace Sharpbase.Rules;

/// <summary>One action's rule: superusers only (absent), anyone (<c>"true"</c>), or an expression.</summary>
internal sealed record CompiledRule(BoundExpr? Expression, bool Anyone)
{
    public static readonly CompiledRule SuperusersOnly = new(null, false);

    public static readonly CompiledRule Everyone = new(null, true);
}
