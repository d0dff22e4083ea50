using Sharpbase.Query;

namespace Sharpbase.Core.Tests.Query;

public sealed class ExpressionParserTests
{
    private static Expr Parse(string text)
    {
        Assert.True(ExpressionParser.TryParse(text, out var expr, out var error), error?.ToString());
        return expr;
    }

    private static QueryError ParseError(string text)
    {
        Assert.False(ExpressionParser.TryParse(text, out var expr, out var error));
        Assert.Null(expr);
        return error;
    }

    [Theory]
    [InlineData("a = 1", ComparisonOperator.Equal)]
    [InlineData("a != 1", ComparisonOperator.NotEqual)]
    [InlineData("a > 1", ComparisonOperator.Greater)]
    [InlineData("a >= 1", ComparisonOperator.GreaterOrEqual)]
    [InlineData("a < 1", ComparisonOperator.Less)]
    [InlineData("a <= 1", ComparisonOperator.LessOrEqual)]
    [InlineData("a ~ 1", ComparisonOperator.Contains)]
    [InlineData("a !~ 1", ComparisonOperator.NotContains)]
    [InlineData("a ?= 1", ComparisonOperator.AnyEqual)]
    [InlineData("a in [1]", ComparisonOperator.In)]
    [InlineData("a>=1", ComparisonOperator.GreaterOrEqual)]
    [InlineData("a!~1", ComparisonOperator.NotContains)]
    public void TryParse_EachOperator_ParsesComparison(string text, ComparisonOperator expected)
    {
        // Act
        var expr = Parse(text);

        // Assert
        var comparison = Assert.IsType<ComparisonExpr>(expr);
        Assert.Equal(expected, comparison.Operator);
        Assert.Equal(["a"], Assert.IsType<FieldOperand>(comparison.Left).Path);
    }

    [Theory]
    [InlineData("\"hello\"", "hello")]
    [InlineData("'hello'", "hello")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("'a\\'b'", "a'b")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData("\"\\\\ \\n \\t \\r \\/\"", "\\ \n \t \r /")]
    [InlineData("\"\\u00e9\"", "é")]
    [InlineData("\"\"", "")]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("3.25", 3.25)]
    [InlineData("-0.5", -0.5)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("null", null)]
    public void TryParse_Literal_ParsesValue(string literal, object? expected)
    {
        // Act
        var expr = Parse("a = " + literal);

        // Assert
        var right = Assert.IsType<LiteralOperand>(Assert.IsType<ComparisonExpr>(expr).Right);
        Assert.Equal(expected, right.Value);
    }

    [Fact]
    public void TryParse_List_ParsesItems()
    {
        // Act
        var expr = Parse("status in [\"draft\", 'published', 1, 2.5, true, null]");

        // Assert
        var list = Assert.IsType<ListOperand>(Assert.IsType<ComparisonExpr>(expr).Right);
        Assert.Equal(new object?[] { "draft", "published", 1L, 2.5, true, null }, list.Items.Select(i => i.Value));
    }

    [Fact]
    public void TryParse_EmptyList_ParsesEmpty()
    {
        var list = Assert.IsType<ListOperand>(Assert.IsType<ComparisonExpr>(Parse("a in []")).Right);
        Assert.Empty(list.Items);
    }

    [Fact]
    public void TryParse_PathAndVariables_ParsesSegments()
    {
        // Act
        var expr = Parse("author.org.name = @auth.id && @now > created_at && @body.title != null");

        // Assert
        var and = Assert.IsType<LogicalExpr>(expr);
        var first = Assert.IsType<ComparisonExpr>(and.Operands[0]);
        Assert.Equal(["author", "org", "name"], Assert.IsType<FieldOperand>(first.Left).Path);
        Assert.Equal(new VariableOperand(new TextPosition(18, 1, 19), "auth", "id"), first.Right);
        var second = Assert.IsType<ComparisonExpr>(and.Operands[1]);
        Assert.Equal("now", Assert.IsType<VariableOperand>(second.Left).Name);
        Assert.Null(((VariableOperand)second.Left).Member);
        var third = Assert.IsType<ComparisonExpr>(and.Operands[2]);
        Assert.Equal("@body.title", Assert.IsType<VariableOperand>(third.Left).Text);
    }

    [Fact]
    public void TryParse_AndOr_AndBindsTighter()
    {
        // Act
        var expr = Parse("a = 1 || b = 2 && c = 3");

        // Assert
        var or = Assert.IsType<LogicalExpr>(expr);
        Assert.Equal(LogicalOperator.Or, or.Operator);
        Assert.IsType<ComparisonExpr>(or.Operands[0]);
        var and = Assert.IsType<LogicalExpr>(or.Operands[1]);
        Assert.Equal(LogicalOperator.And, and.Operator);
        Assert.Equal(2, and.Operands.Count);
    }

    [Fact]
    public void TryParse_Parentheses_OverridePrecedence()
    {
        // Act
        var expr = Parse("(a = 1 || b = 2) && c = 3");

        // Assert
        var and = Assert.IsType<LogicalExpr>(expr);
        Assert.Equal(LogicalOperator.And, and.Operator);
        Assert.Equal(LogicalOperator.Or, Assert.IsType<LogicalExpr>(and.Operands[0]).Operator);
    }

    [Fact]
    public void TryParse_ChainOfSameOperator_IsFlat()
    {
        var and = Assert.IsType<LogicalExpr>(Parse("a = 1 && b = 2 && c = 3 && d = 4"));
        Assert.Equal(4, and.Operands.Count);
    }

    [Fact]
    public void TryParse_Not_AppliesToNextUnaryOnly()
    {
        // Act
        var expr = Parse("!a = 1 && b = 2");

        // Assert
        var and = Assert.IsType<LogicalExpr>(expr);
        var not = Assert.IsType<NotExpr>(and.Operands[0]);
        Assert.IsType<ComparisonExpr>(not.Operand);
        Assert.IsType<NotExpr>(Assert.IsType<NotExpr>(Parse("!!(a = 1)")).Operand);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" false ", false)]
    public void TryParse_BareBoolean_IsConstant(string text, bool expected)
    {
        Assert.Equal(expected, Assert.IsType<ConstantExpr>(Parse(text)).Value);
    }

    [Fact]
    public void TryParse_Positions_AreOneBasedLineAndColumn()
    {
        // Act
        var expr = Parse("a = 1 &&\n  bb = 'x'");

        // Assert
        var second = Assert.IsType<ComparisonExpr>(Assert.IsType<LogicalExpr>(expr).Operands[1]);
        Assert.Equal(new TextPosition(11, 2, 3), second.Position);
        Assert.Equal(new TextPosition(16, 2, 8), second.Right.Position);
    }

    [Theory]
    [InlineData("", "expression is empty", 1, 1)]
    [InlineData("   ", "expression is empty", 1, 4)]
    [InlineData("a =", "expected a field, a variable or a literal, found the end of the expression", 1, 4)]
    [InlineData("a = 1 b = 2", "unexpected 'b'; expected '&&', '||' or the end", 1, 7)]
    [InlineData("a", "expected an operator (= != > >= < <= ~ !~ in ?=), found the end of the expression", 1, 2)]
    [InlineData("(a = 1", "expected ')' to close the '(' at 1:1, found the end of the expression", 1, 7)]
    [InlineData("a = 1)", "unexpected ')'; expected '&&', '||' or the end", 1, 6)]
    [InlineData("a = \"abc", "unterminated string", 1, 5)]
    [InlineData("a = 'x\\q'", "invalid escape sequence in string", 1, 7)]
    [InlineData("a & b", "expected '&&'", 1, 3)]
    [InlineData("a | b", "expected '||'", 1, 3)]
    [InlineData("a ? b", "expected '?='", 1, 3)]
    [InlineData("a = #", "unexpected character '#'", 1, 5)]
    [InlineData("a.", "expected a field name after '.'", 1, 3)]
    [InlineData("a = @", "expected a variable name after '@'", 1, 5)]
    [InlineData("a = -x", "expected a digit after '-'", 1, 5)]
    [InlineData("a = 1.", "expected a digit after '.'", 1, 7)]
    [InlineData("a = 12ab", "unexpected character 'a' in a number", 1, 7)]
    [InlineData("a = 99999999999999999999", "number out of range", 1, 5)]
    [InlineData("a in 1", "expected a list after 'in', found '1'", 1, 6)]
    [InlineData("a = [1]", "a list can only follow 'in'", 1, 5)]
    [InlineData("a in [1 2]", "expected ',' or ']' in the list, found '2'", 1, 9)]
    [InlineData("a in [b]", "expected a literal in the list, found 'b'", 1, 7)]
    [InlineData("a in [1,", "expected a literal in the list, found the end of the expression", 1, 9)]
    [InlineData("a = 1 &&\n  = 2", "expected a field, a variable or a literal, found '='", 2, 3)]
    [InlineData("a = 1 ||", "expected a field, a variable or a literal, found the end of the expression", 1, 9)]
    [InlineData("!", "expected a field, a variable or a literal, found the end of the expression", 1, 2)]
    public void TryParse_Malformed_ReportsSyntaxErrorAtPosition(string text, string message, int line, int column)
    {
        // Act
        var error = ParseError(text);

        // Assert
        Assert.Equal(QueryErrorCodes.Syntax, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void TryParse_TooLong_ReportsTooLong()
    {
        var error = ParseError("a = \"" + new string('x', QueryLimits.MaxLength) + "\"");
        Assert.Equal(QueryErrorCodes.TooLong, error.Code);
    }

    [Fact]
    public void TryParse_AtMaxDepth_Parses()
    {
        var depth = QueryLimits.MaxDepth;
        Parse(new string('(', depth) + "a = 1" + new string(')', depth));
        Parse(new string('!', depth) + "a = 1");
    }

    [Theory]
    [InlineData("(")]
    [InlineData("!")]
    [InlineData("!(")]
    public void TryParse_BeyondMaxDepth_ReportsTooDeepAtTheOpeningToken(string unit)
    {
        // Arrange
        var text = string.Concat(Enumerable.Repeat(unit, QueryLimits.MaxDepth + 1)) + "a = 1";

        // Act
        var error = ParseError(text);

        // Assert
        Assert.Equal(QueryErrorCodes.TooDeep, error.Code);
        Assert.InRange(error.Position.Offset, QueryLimits.MaxDepth, text.Length);
    }

    [Fact]
    public void TryParse_TooManyTerms_ReportsTooManyTerms()
    {
        // Arrange
        var ok = string.Join(" && ", Enumerable.Repeat("a = 1", QueryLimits.MaxTerms));
        var tooMany = ok + " || b = 2";

        // Act
        Parse(ok);
        var error = ParseError(tooMany);

        // Assert
        Assert.Equal(QueryErrorCodes.TooManyTerms, error.Code);
        Assert.Equal(tooMany.Length - "b = 2".Length + 1, error.Column);
    }

    [Fact]
    public void ToString_WithSuggestion_FormatsPositionThenHint()
    {
        var error = new QueryError(QueryErrorCodes.UnknownField, "unknown field 'auhtor'", TextPosition.Start) { Suggestion = "author" };
        Assert.Equal("unknown field 'auhtor' at 1:1 (did you mean 'author'?)", error.ToString());
    }
}
