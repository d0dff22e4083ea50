using System.Globalization;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Query;

/// <summary>
/// Emits SQL for one bound expression. Identifiers come only from the schema (quoted by the dialect)
/// and aliases are generated; every value becomes a parameter, except, in the schema's own text,
/// plain literals compared with a field of their type (see <see cref="SqlCompiler.Compile"/>).
/// </summary>
internal sealed class SqlBuilder(SqlDialect dialect, string rootAlias, QueryVariables variables, List<object?> parameters, RelationScope? scope = null, bool schemaText = false)
{
    private const int MaxInlineText = 256;

    private const string AlwaysTrue = SqlCompiler.AlwaysTrue;
    private const string AlwaysFalse = "(1 = 0)";

    private int _aliases;
    private int _negations;

    public string Expression(BoundExpr bound) => bound switch
    {
        BoundConstant constant => constant.Value ? AlwaysTrue : AlwaysFalse,
        BoundNot not => Not(not),
        BoundLogical logical => Logical(logical),
        BoundComparison comparison => Comparison(comparison),
        _ => throw new ArgumentException("unsupported bound expression", nameof(bound)),
    };

    private string Not(BoundNot not)
    {
        _negations++;
        try
        {
            return "NOT (" + Expression(not.Operand) + ")";
        }
        finally
        {
            _negations--;
        }
    }

    // `x OR false` is x and `x AND true` is x in SQL's three-valued logic too, so such operands are
    // dropped: `status = "published" || author = @auth.id` for an anonymous caller becomes a plain
    // `status = …` that an index can answer in order, instead of an OR that defeats it. Operands
    // that are dropped never hold a parameter, so the numbering stays dense.
    private string Logical(BoundLogical logical)
    {
        var and = logical.Operator == LogicalOperator.And;
        var neutral = and ? AlwaysTrue : AlwaysFalse;
        var operands = logical.Operands.Select(Expression).Where(sql => sql != neutral).ToList();
        return operands.Count == 0 ? neutral : "(" + string.Join(and ? " AND " : " OR ", operands) + ")";
    }

    private string Comparison(BoundComparison comparison) => comparison.Left is BoundField field
        ? Path(field, 0, rootAlias, comparison)
        : KnownNullComparison(comparison) ?? Predicate(Value(comparison.Left, null), comparison, null);

    // Without a field on the left there is none on the right either (the binder puts fields first),
    // so both sides are known values. (`= null` is already IS NULL.) A null among them (an absent @body member, an anonymous
    // @auth.id) compares as a value, as `= null` does, instead of being left unknown by SQL:
    // `@body.status != "published"` holds when the body doesn't set status.
    private string? KnownNullComparison(BoundComparison comparison)
    {
        if (comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual && comparison.Right is BoundLiteral { Value: null })
        {
            // Decided here rather than as "@p IS NULL": a bare null parameter has no type PostgreSQL can infer.
            return (Known(comparison.Left) is null) == (comparison.Operator == ComparisonOperator.Equal) ? AlwaysTrue : AlwaysFalse;
        }
        if (comparison.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual or ComparisonOperator.In)
            || comparison.Right is BoundList && comparison.Operator != ComparisonOperator.In
            || comparison.Right is BoundLiteral { Value: null })
        {
            return null;
        }
        var left = Known(comparison.Left);
        if (comparison.Operator == ComparisonOperator.In)
        {
            return left is null ? AlwaysFalse : null;
        }
        var right = Known(comparison.Right);
        if (left is not null && right is not null)
        {
            return null;
        }
        var equal = left is null && right is null;
        return equal == (comparison.Operator == ComparisonOperator.Equal) ? AlwaysTrue : AlwaysFalse;
    }

    private object? Known(BoundOperand operand) => operand switch
    {
        BoundLiteral literal => literal.Value,
        BoundVariable variable => VariableValues.Resolve(variable, variables),
        _ => throw new ArgumentException("unsupported operand", nameof(operand)),
    };

    /// <summary>Follows the relations of <paramref name="field"/> from <paramref name="hop"/> on, as nested subqueries.</summary>
    private string Path(BoundField field, int hop, string alias, BoundComparison comparison)
    {
        if (hop < field.Hops.Count)
        {
            var relation = field.Hops[hop];
            if (relation.Field.Multiple)
            {
                var junction = NextAlias();
                var target = NextAlias();
                return $"EXISTS (SELECT 1 FROM {dialect.Quote(SqlDialect.JunctionTable(relation.Source.Name, relation.Field.Name))} {junction} " +
                    $"JOIN {dialect.Quote(relation.Target.Name)} {target} ON {Column(target, SystemFields.Id)} = {junction}.target " +
                    $"WHERE {junction}.source = {Column(alias, SystemFields.Id)} AND {Scoped(relation.Target, target)}{Path(field, hop + 1, target, comparison)})";
            }
            var next = NextAlias();
            return $"{Column(alias, relation.Field.Name)} IN (SELECT {Column(next, SystemFields.Id)} FROM {dialect.Quote(relation.Target.Name)} {next} " +
                $"WHERE {Scoped(relation.Target, next)}{Path(field, hop + 1, next, comparison)})";
        }
        if (!field.Field.IsMultipleRelation)
        {
            return Predicate(Column(alias, field.Field.Name), comparison, field.Field);
        }
        var links = NextAlias();
        var from = $"SELECT 1 FROM {dialect.Quote(SqlDialect.JunctionTable(field.Collection.Name, field.Field.Name))} {links} WHERE {links}.source = {Column(alias, SystemFields.Id)}";
        if (comparison.Right is BoundLiteral { Value: null })
        {
            // A multiple relation is null when it links to nothing.
            return comparison.Operator == ComparisonOperator.Equal ? $"NOT EXISTS ({from})" : $"EXISTS ({from})";
        }
        return $"EXISTS ({from} AND {Predicate(links + ".target", comparison, field.Field)})";
    }

    private string Predicate(string operand, BoundComparison comparison, FieldDef? field)
    {
        var right = comparison.Right;
        if (right is BoundLiteral { Value: null })
        {
            return comparison.Operator == ComparisonOperator.Equal ? $"{operand} IS NULL" : $"{operand} IS NOT NULL";
        }
        switch (comparison.Operator)
        {
            case ComparisonOperator.In:
                return InList(operand, ((BoundList)right).Values, field);
            case ComparisonOperator.AnyEqual:
                return InList(operand, VariableValues.ToList(VariableValues.Resolve((BoundVariable)right, variables)));
            case ComparisonOperator.Contains or ComparisonOperator.NotContains:
                var text = VariableValues.ToText(right is BoundVariable variable ? VariableValues.Resolve(variable, variables) : ((BoundLiteral)right).Value);
                var pattern = Parameter(text is null ? null : LikePattern.Contains(text));
                return dialect.LikePredicate(operand, pattern, comparison.Operator == ComparisonOperator.NotContains);
            // Against a null variable (an anonymous @auth.id) the comparison is never true; outside any
            // NOT, where unknown and false filter alike, it is written as false so it can be dropped.
            case var _ when _negations == 0 && right is BoundVariable nullable && VariableValues.Resolve(nullable, variables) is null:
                return AlwaysFalse;
            default:
                return $"{operand} {Symbol(comparison.Operator)} {Value(right, field)}";
        }
    }

    private string InList(string operand, IReadOnlyList<object> values, FieldDef? against = null) =>
        values.Count == 0 ? AlwaysFalse : $"{operand} IN ({string.Join(", ", values.Select(v => Inlined(v, against) ?? Parameter(VariableValues.ToParameter(v, null))))})";

    private string Value(BoundOperand operand, FieldDef? against) => operand switch
    {
        BoundField { Hops.Count: 0 } field => Column(rootAlias, field.Field.Name),
        BoundLiteral literal => Inlined(literal.Value, against) ?? Parameter(literal.Value),
        BoundVariable variable => Parameter(VariableValues.ToParameter(VariableValues.Resolve(variable, variables), against)),
        _ => throw new ArgumentException("unsupported operand", nameof(operand)),
    };

    // A literal of the schema's text written into the SQL, when it is plain and of the compared
    // field's own type (so both databases compare it exactly as they would the bound value).
    private string? Inlined(object? value, FieldDef? against) => schemaText && against is not null && value switch
    {
        string text => against.Type is FieldType.Text or FieldType.Select or FieldType.Email or FieldType.Url
            && text.Length <= MaxInlineText && !text.Any(c => char.IsControl(c) || c == '\\'),
        long => against.Type == FieldType.Integer,
        bool => against.Type == FieldType.Boolean,
        _ => false,
    } ? dialect.Literal(value) : null;

    private string Parameter(object? value)
    {
        parameters.Add(value);
        return dialect.Parameter(parameters.Count - 1);
    }

    // The scope's own subqueries may reuse t1, t2, …: they only refer to their own aliases and to
    // the alias given here, which they never redeclare, so shadowing cannot change their meaning.
    private string Scoped(CollectionDef target, string alias) => scope?.Invoke(target, alias) is { } condition ? "(" + condition + ") AND " : string.Empty;

    private string Column(string alias, string name) => alias + "." + dialect.Quote(name);

    private string NextAlias()
    {
        string alias;
        do
        {
            alias = "t" + (++_aliases).ToString(CultureInfo.InvariantCulture);
        }
        while (alias == rootAlias);
        return alias;
    }

    private static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        _ => "<=",
    };
}
