using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>Type-checks one comparison and normalises it (field left; null and list variables right).</summary>
internal sealed class ComparisonBinder(Binder binder)
{
    public BoundComparison? Bind(ComparisonExpr comparison)
    {
        if (Side(comparison.Left) is not { } left)
        {
            return null;
        }
        if (comparison.Operator == ComparisonOperator.In)
        {
            return comparison.Right is ListOperand list
                ? BindIn(left, list)
                : Fail(QueryErrorCodes.Syntax, "'in' needs a list", comparison.Right.Position);
        }
        if (Side(comparison.Right) is not { } right)
        {
            return null;
        }
        var op = comparison.Operator;
        if (op is not (ComparisonOperator.Contains or ComparisonOperator.NotContains) && ShouldSwap(left, right))
        {
            (left, right) = (right, left);
            op = Mirror(op);
        }
        return Check(left, op, right);
    }

    private BoundComparison? Check(ComparisonSide left, ComparisonOperator op, ComparisonSide right)
    {
        if (right.Type == OperandType.Null || left.Type == OperandType.Null)
        {
            var nullSide = right.Type == OperandType.Null ? right : left;
            if (op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual) || left.Type is OperandType.TextList or OperandType.Null)
            {
                return Fail(QueryErrorCodes.TypeMismatch, "null can only be compared with '= null' or '!= null' on a field or a variable", nullSide.Position);
            }
            return new BoundComparison(left.Bound, op, right.Bound);
        }
        if (left.Type == OperandType.Json || right.Type == OperandType.Json)
        {
            var json = left.Type == OperandType.Json ? left : right;
            return Fail(QueryErrorCodes.InvalidOperator, $"{json.Description} can only be compared with null", json.Position);
        }
        if (left.IsSubquery && right.IsSubquery)
        {
            return Fail(QueryErrorCodes.Unsupported, "only one side of a comparison may follow a relation", right.Position);
        }
        if (right.Type == OperandType.TextList)
        {
            return BindAnyEqual(left, op, right);
        }
        if (left.Type == OperandType.TextList)
        {
            return Fail(QueryErrorCodes.InvalidOperator, $"{left.Description} is a list: compare it with '?='", left.Position);
        }
        if (op == ComparisonOperator.AnyEqual)
        {
            op = ComparisonOperator.Equal;
        }
        if (op is ComparisonOperator.Contains or ComparisonOperator.NotContains)
        {
            return BindContains(left, op, right);
        }
        if (op is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual or ComparisonOperator.Less or ComparisonOperator.LessOrEqual)
        {
            foreach (var side in (ReadOnlySpan<ComparisonSide>)[left, right])
            {
                if (side.Type is OperandType.Boolean or OperandType.Relation)
                {
                    return Fail(QueryErrorCodes.InvalidOperator, $"{side.Description} cannot be ordered with '{Symbol(op)}'", side.Position);
                }
            }
        }
        return Coerce(left, right, op) is { } value ? new BoundComparison(left.Bound, op, value) : null;
    }

    private BoundComparison? BindIn(ComparisonSide left, ListOperand list)
    {
        if (left.Type is OperandType.Json or OperandType.TextList or OperandType.Null)
        {
            return Fail(QueryErrorCodes.InvalidOperator, $"'in' cannot be used with {left.Description}", left.Position);
        }
        var values = new List<object>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (item.Value is null)
            {
                return Fail(QueryErrorCodes.TypeMismatch, "null is not allowed in a list; use '= null'", item.Position);
            }
            var side = new ComparisonSide(new BoundLiteral(item.Value), ComparisonSide.TypeOf(item.Value), item.Position, ComparisonSide.Describe(item.Value));
            if (Coerce(left, side, ComparisonOperator.In) is not BoundLiteral { Value: { } value })
            {
                return null;
            }
            values.Add(value);
        }
        return new BoundComparison(left.Bound, ComparisonOperator.In, new BoundList(values));
    }

    private BoundComparison? BindAnyEqual(ComparisonSide left, ComparisonOperator op, ComparisonSide right)
    {
        if (op != ComparisonOperator.AnyEqual)
        {
            return Fail(QueryErrorCodes.InvalidOperator, $"{right.Description} is a list: compare it with '?='", right.Position);
        }
        if (left.Type is not (OperandType.Text or OperandType.Relation or OperandType.Any))
        {
            return Mismatch<BoundComparison>(left, right);
        }
        return new BoundComparison(left.Bound, ComparisonOperator.AnyEqual, right.Bound);
    }

    private BoundComparison? BindContains(ComparisonSide left, ComparisonOperator op, ComparisonSide right)
    {
        if (left.Type is not (OperandType.Text or OperandType.Any))
        {
            return Fail(QueryErrorCodes.InvalidOperator, $"'{Symbol(op)}' needs text, not {left.Description}", left.Position);
        }
        if (right.IsField)
        {
            return Fail(QueryErrorCodes.InvalidOperator, $"the right side of '{Symbol(op)}' must be a string or a variable, not a field", right.Position);
        }
        if (right.Type is not (OperandType.Text or OperandType.Any))
        {
            return Mismatch<BoundComparison>(left, right);
        }
        return new BoundComparison(left.Bound, op, right.Bound);
    }

    /// <summary>The right side as compared with the left: a date or instant string normalised to its stored text.</summary>
    private BoundOperand? Coerce(ComparisonSide left, ComparisonSide right, ComparisonOperator op)
    {
        if (left.Type == OperandType.Any || right.Type == OperandType.Any)
        {
            return right.Bound;
        }
        var literal = right.Bound as BoundLiteral;
        switch (left.Type)
        {
            case OperandType.Text or OperandType.Relation when right.Type is OperandType.Text or OperandType.Relation:
                return CheckSelectValue(left, right, op);
            case OperandType.Number or OperandType.Boolean or OperandType.Date or OperandType.DateTime when right.Type == left.Type:
                return right.Bound;
            case OperandType.Date when right.Bound is BoundVariable { Kind: VariableKind.Now }:
                return right.Bound;
            case OperandType.DateTime when literal?.Value is string text:
                return IsoDates.TryParseInstant(text, out var instant)
                    ? new BoundLiteral(FieldValidator.FormatInstant(instant))
                    : Fail<BoundOperand>(QueryErrorCodes.TypeMismatch, $"'{text}' is not an ISO 8601 datetime", right.Position);
            case OperandType.Date when literal?.Value is string text:
                return IsoDates.TryParseDate(text, out var date)
                    ? new BoundLiteral(IsoDates.FormatDate(date))
                    : Fail<BoundOperand>(QueryErrorCodes.TypeMismatch, $"'{text}' is not an ISO 8601 date (yyyy-MM-dd)", right.Position);
            default:
                return Mismatch<BoundOperand>(left, right);
        }
    }

    private BoundOperand? CheckSelectValue(ComparisonSide left, ComparisonSide right, ComparisonOperator op)
    {
        if (left.Bound is BoundField { Field: { Type: FieldType.Select } field }
            && right.Bound is BoundLiteral { Value: string value }
            && op is ComparisonOperator.Equal or ComparisonOperator.NotEqual or ComparisonOperator.In
            && !field.Values.Contains(value))
        {
            return Fail<BoundOperand>(
                QueryErrorCodes.TypeMismatch,
                $"'{value}' is not a value of {left.Description} ({string.Join(", ", field.Values)})",
                right.Position,
                NameSuggestions.Closest(value, field.Values));
        }
        return right.Bound;
    }

    private ComparisonSide? Side(Operand operand)
    {
        if (operand is ListOperand)
        {
            return Fail<ComparisonSide>(QueryErrorCodes.Syntax, "a list can only follow 'in'", operand.Position);
        }
        return binder.BindOperand(operand) is { } bound ? ComparisonSide.Create(bound, operand) : null;
    }

    private static bool ShouldSwap(ComparisonSide left, ComparisonSide right)
    {
        if (left.Type == OperandType.TextList || right.Type == OperandType.TextList)
        {
            return left.Type == OperandType.TextList && right.Type != OperandType.TextList;
        }
        if (left.Type == OperandType.Null || right.Type == OperandType.Null)
        {
            return left.Type == OperandType.Null && right.Type != OperandType.Null;
        }
        return right.IsField && (!left.IsField || (right.IsSubquery && !left.IsSubquery));
    }

    private static ComparisonOperator Mirror(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        _ => op,
    };

    internal static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Contains => "~",
        ComparisonOperator.NotContains => "!~",
        ComparisonOperator.In => "in",
        _ => "?=",
    };

    private T? Mismatch<T>(ComparisonSide left, ComparisonSide right)
        where T : class => Fail<T>(QueryErrorCodes.TypeMismatch, $"cannot compare {left.Description} with {right.Description}", right.Position);

    private BoundComparison? Fail(string code, string message, TextPosition position) => binder.Fail<BoundComparison>(code, message, position);

    private T? Fail<T>(string code, string message, TextPosition position, string? suggestion = null)
        where T : class => binder.Fail<T>(code, message, position, suggestion);
}
