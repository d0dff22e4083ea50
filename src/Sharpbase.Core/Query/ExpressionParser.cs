using System.Diagnostics.CodeAnalysis;

namespace Sharpbase.Query;

/// <summary>Parses the expression language (filters and rules) into an immutable <see cref="Expr"/>.</summary>
public static class ExpressionParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. Never throws on any input: text longer than
    /// <see cref="QueryLimits.MaxLength"/>, nesting deeper than <see cref="QueryLimits.MaxDepth"/> or
    /// more than <see cref="QueryLimits.MaxTerms"/> comparisons are refused with an error.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Expr? expr, [NotNullWhen(false)] out QueryError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        expr = null;
        if (text.Length > QueryLimits.MaxLength)
        {
            error = new QueryError(QueryErrorCodes.TooLong, $"expression is longer than {QueryLimits.MaxLength} characters", TextPosition.Start);
            return false;
        }
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        if (!lexer.TryTokenize(tokens))
        {
            error = lexer.Error!;
            return false;
        }
        var parser = new Parser(tokens);
        expr = parser.ParseRoot();
        error = parser.Error;
        return expr is not null;
    }
}
