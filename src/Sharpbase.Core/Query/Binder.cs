using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>
/// Binds expressions and operands; comparisons are type-checked by <see cref="ComparisonBinder"/>.
/// <c>@body</c> is known only where <paramref name="bodyAllowed"/> (create and update rules).
/// </summary>
internal sealed class Binder(CollectionDef collection, AppSchema schema, bool bodyAllowed)
{
    // Parsed trees are at most a few levels per parenthesis; a hand-built tree deeper than this is refused.
    private const int MaxTreeDepth = (QueryLimits.MaxDepth + 1) * 4;

    private int _depth;

    public CollectionDef Collection => collection;

    public QueryError? Error { get; private set; }

    public BoundExpr? Bind(Expr expr)
    {
        if (++_depth > MaxTreeDepth)
        {
            return Fail<BoundExpr>(QueryErrorCodes.TooDeep, "expression nests too deeply", expr.Position);
        }
        var bound = expr switch
        {
            ConstantExpr constant => new BoundConstant(constant.Value),
            NotExpr not => Bind(not.Operand) is { } operand ? new BoundNot(operand) : null,
            LogicalExpr logical => BindLogical(logical),
            ComparisonExpr comparison => new ComparisonBinder(this).Bind(comparison),
            _ => Fail<BoundExpr>(QueryErrorCodes.Syntax, "unsupported expression", expr.Position),
        };
        _depth--;
        return bound;
    }

    public BoundOperand? BindOperand(Operand operand) => operand switch
    {
        FieldOperand field => new PathResolver(this, schema).Resolve(field),
        VariableOperand variable => BindVariable(variable),
        LiteralOperand literal => new BoundLiteral(literal.Value),
        _ => Fail<BoundOperand>(QueryErrorCodes.Syntax, "a list can only follow 'in'", operand.Position),
    };

    public T? Fail<T>(string code, string message, TextPosition position, string? suggestion = null)
        where T : class
    {
        Error ??= new QueryError(code, message, position) { Suggestion = suggestion };
        return null;
    }

    private BoundLogical? BindLogical(LogicalExpr logical)
    {
        var operands = new List<BoundExpr>(logical.Operands.Count);
        foreach (var operand in logical.Operands)
        {
            if (Bind(operand) is not { } bound)
            {
                return null;
            }
            operands.Add(bound);
        }
        return operands.Count == 0 ? Fail<BoundLogical>(QueryErrorCodes.Syntax, "empty logical expression", logical.Position) : new BoundLogical(logical.Operator, operands);
    }

    private BoundVariable? BindVariable(VariableOperand variable)
    {
        switch (variable.Name, variable.Member)
        {
            case ("now", null):
                return new BoundVariable(VariableKind.Now, null, null);
            case ("auth", "id"):
                return new BoundVariable(VariableKind.AuthId, null, null);
            case ("auth", "roles"):
                return new BoundVariable(VariableKind.AuthRoles, null, null);
            case ("auth", { } member) when !member.Contains('.', StringComparison.Ordinal):
                // Only fields of the auth collection exist on @auth; a typo must not be a silent null.
                var authFields = schema.Collections.FirstOrDefault(c => c.Auth)?.Fields.Where(f => !f.Hidden && !f.IsMultipleRelation).Select(f => f.Name).ToList() ?? [];
                if (!authFields.Contains(member))
                {
                    var near = NameSuggestions.Closest(member, authFields.Append("id").Append("roles"));
                    return Fail<BoundVariable>(QueryErrorCodes.UnknownVariable, $"unknown field '{member}' in '@auth'", variable.Position, near is null ? null : "@auth." + near);
                }
                return new BoundVariable(VariableKind.AuthField, member, null);
            case ("body", _) when !bodyAllowed:
                return Fail<BoundVariable>(QueryErrorCodes.UnknownVariable, "'@body' is the incoming record: only create and update rules have one", variable.Position);
            case ("body", { } member):
                var field = SystemFieldDefs.Find(collection, member);
                if (field is null)
                {
                    var suggestion = NameSuggestions.Closest(member, SystemFieldDefs.VisibleNames(collection));
                    return Fail<BoundVariable>(QueryErrorCodes.UnknownField, $"unknown field '{member}' in '@body'", variable.Position, suggestion is null ? null : "@body." + suggestion);
                }
                return new BoundVariable(VariableKind.Body, member, field);
            default:
                var closest = NameSuggestions.Closest(variable.Name, ["auth", "body", "now"]);
                return Fail<BoundVariable>(
                    QueryErrorCodes.UnknownVariable,
                    $"unknown variable '{variable.Text}'; use @auth.<field>, @body.<field> or @now",
                    variable.Position,
                    closest is null || closest == variable.Name ? null : "@" + closest);
        }
    }
}
