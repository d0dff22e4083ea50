namespace Sharpbase.Query;

/// <summary>
/// Recursive descent over the tokens: <c>or := and ('||' and)*</c>, <c>and := unary ('&amp;&amp;' unary)*</c>,
/// <c>unary := '!' unary | '(' or ')' | comparison</c>. Depth is checked before every recursion, so
/// hostile nesting is refused long before the stack is at risk.
/// </summary>
internal sealed class Parser(List<Token> tokens)
{
    private int _index;
    private int _depth;
    private int _terms;

    public QueryError? Error { get; private set; }

    private Token Current => tokens[_index];

    public Expr? ParseRoot()
    {
        if (Current.Kind == TokenKind.End)
        {
            return Fail(Current.Position, "expression is empty");
        }
        var expr = ParseLogical(LogicalOperator.Or);
        if (expr is null)
        {
            return null;
        }
        return Current.Kind == TokenKind.End ? expr : Fail(Current.Position, $"unexpected {Describe(Current)}; expected '&&', '||' or the end");
    }

    private Expr? ParseLogical(LogicalOperator op)
    {
        var separator = op == LogicalOperator.Or ? TokenKind.Or : TokenKind.And;
        var first = op == LogicalOperator.Or ? ParseLogical(LogicalOperator.And) : ParseUnary();
        if (first is null || Current.Kind != separator)
        {
            return first;
        }
        var operands = new List<Expr> { first };
        while (Current.Kind == separator)
        {
            _index++;
            var next = op == LogicalOperator.Or ? ParseLogical(LogicalOperator.And) : ParseUnary();
            if (next is null)
            {
                return null;
            }
            operands.Add(next);
        }
        return new LogicalExpr(first.Position, op, operands);
    }

    private Expr? ParseUnary()
    {
        var start = Current;
        if (start.Kind is not (TokenKind.Not or TokenKind.LeftParen))
        {
            return ParseComparison();
        }
        if (++_depth > QueryLimits.MaxDepth)
        {
            return Fail(start.Position, $"expression nests deeper than {QueryLimits.MaxDepth} levels", QueryErrorCodes.TooDeep);
        }
        _index++;
        Expr? result;
        if (start.Kind == TokenKind.Not)
        {
            var operand = ParseUnary();
            result = operand is null ? null : new NotExpr(start.Position, operand);
        }
        else
        {
            result = ParseLogical(LogicalOperator.Or);
            if (result is not null && Current.Kind != TokenKind.RightParen)
            {
                return Fail(Current.Position, $"expected ')' to close the '(' at {start.Position.Line}:{start.Position.Column}, found {Describe(Current)}");
            }
            _index++;
        }
        _depth--;
        return result;
    }

    private Expr? ParseComparison()
    {
        var start = Current.Position;
        var left = ParseOperand();
        if (left is null)
        {
            return null;
        }
        var op = Current.Kind switch
        {
            TokenKind.Equal => ComparisonOperator.Equal,
            TokenKind.NotEqual => ComparisonOperator.NotEqual,
            TokenKind.Greater => ComparisonOperator.Greater,
            TokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
            TokenKind.Less => ComparisonOperator.Less,
            TokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
            TokenKind.Contains => ComparisonOperator.Contains,
            TokenKind.NotContains => ComparisonOperator.NotContains,
            TokenKind.In => ComparisonOperator.In,
            TokenKind.AnyEqual => ComparisonOperator.AnyEqual,
            _ => (ComparisonOperator?)null,
        };
        if (op is null)
        {
            if (left is LiteralOperand { Value: bool constant })
            {
                return CountTerm(start) ? new ConstantExpr(start, constant) : null;
            }
            return Fail(Current.Position, $"expected an operator (= != > >= < <= ~ !~ in ?=), found {Describe(Current)}");
        }
        _index++;
        Operand? right;
        if (op == ComparisonOperator.In)
        {
            right = Current.Kind == TokenKind.LeftBracket ? ParseList() : Fail<Operand>(Current.Position, $"expected a list after 'in', found {Describe(Current)}");
        }
        else
        {
            right = ParseOperand();
        }
        if (right is null || !CountTerm(start))
        {
            return null;
        }
        return new ComparisonExpr(start, left, op.Value, right);
    }

    private Operand? ParseOperand()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null:
                _index++;
                return new LiteralOperand(token.Position, token.Value);
            case TokenKind.Path:
                _index++;
                return new FieldOperand(token.Position, token.Text.Split('.'));
            case TokenKind.Variable:
                _index++;
                var name = (string)token.Value!;
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                return dot < 0 ? new VariableOperand(token.Position, name, null) : new VariableOperand(token.Position, name[..dot], name[(dot + 1)..]);
            case TokenKind.LeftBracket:
                return Fail<Operand>(token.Position, "a list can only follow 'in'");
            default:
                return Fail<Operand>(token.Position, $"expected a field, a variable or a literal, found {Describe(token)}");
        }
    }

    private ListOperand? ParseList()
    {
        var start = Current.Position;
        _index++;
        var items = new List<LiteralOperand>();
        while (Current.Kind != TokenKind.RightBracket)
        {
            if (items.Count > 0)
            {
                if (Current.Kind != TokenKind.Comma)
                {
                    return Fail<ListOperand>(Current.Position, $"expected ',' or ']' in the list, found {Describe(Current)}");
                }
                _index++;
            }
            var token = Current;
            if (token.Kind is not (TokenKind.String or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null))
            {
                return Fail<ListOperand>(token.Position, $"expected a literal in the list, found {Describe(token)}");
            }
            items.Add(new LiteralOperand(token.Position, token.Value));
            _index++;
        }
        _index++;
        return new ListOperand(start, items);
    }

    private bool CountTerm(TextPosition position)
    {
        if (++_terms <= QueryLimits.MaxTerms)
        {
            return true;
        }
        Fail(position, $"expression has more than {QueryLimits.MaxTerms} comparisons", QueryErrorCodes.TooManyTerms);
        return false;
    }

    private static string Describe(Token token) => token.Kind == TokenKind.End ? "the end of the expression" : $"'{token.Text}'";

    private T? Fail<T>(TextPosition position, string message, string code = QueryErrorCodes.Syntax)
        where T : class
    {
        Error ??= new QueryError(code, message, position);
        return null;
    }

    private Expr? Fail(TextPosition position, string message, string code = QueryErrorCodes.Syntax) => Fail<Expr>(position, message, code);
}
