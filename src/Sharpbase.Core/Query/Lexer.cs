using System.Globalization;
using System.Text;

namespace Sharpbase.Query;

/// <summary>Splits an expression into tokens; a path (<c>a.b.c</c>) or a variable (<c>@auth.id</c>) is one token.</summary>
internal sealed class Lexer(string text)
{
    private int _offset;
    private int _line = 1;
    private int _lineStart;

    public QueryError? Error { get; private set; }

    /// <summary>Appends every token, ending with <see cref="TokenKind.End"/>; false with <see cref="Error"/> on bad input.</summary>
    public bool TryTokenize(List<Token> tokens)
    {
        while (true)
        {
            SkipWhitespace();
            var start = Position();
            if (_offset >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, start, ""));
                return true;
            }
            var token = Next(start);
            if (token is null)
            {
                return false;
            }
            tokens.Add(token.Value);
        }
    }

    private Token? Next(TextPosition start)
    {
        var c = text[_offset];
        switch (c)
        {
            case '(': return Single(TokenKind.LeftParen, start);
            case ')': return Single(TokenKind.RightParen, start);
            case '[': return Single(TokenKind.LeftBracket, start);
            case ']': return Single(TokenKind.RightBracket, start);
            case ',': return Single(TokenKind.Comma, start);
            case '=': return Single(TokenKind.Equal, start);
            case '~': return Single(TokenKind.Contains, start);
            case '!': return Peek(1) == '=' ? Double(TokenKind.NotEqual, start) : Peek(1) == '~' ? Double(TokenKind.NotContains, start) : Single(TokenKind.Not, start);
            case '>': return Peek(1) == '=' ? Double(TokenKind.GreaterOrEqual, start) : Single(TokenKind.Greater, start);
            case '<': return Peek(1) == '=' ? Double(TokenKind.LessOrEqual, start) : Single(TokenKind.Less, start);
            case '?': return Peek(1) == '=' ? Double(TokenKind.AnyEqual, start) : Fail(start, "expected '?='");
            case '&': return Peek(1) == '&' ? Double(TokenKind.And, start) : Fail(start, "expected '&&'");
            case '|': return Peek(1) == '|' ? Double(TokenKind.Or, start) : Fail(start, "expected '||'");
            case '"' or '\'': return ReadString(start, c);
            case '@': return ReadVariable(start);
            default:
                if (c == '-' || char.IsAsciiDigit(c))
                {
                    return ReadNumber(start);
                }
                if (IsNameStart(c))
                {
                    return ReadPath(start);
                }
                return Fail(start, $"unexpected character '{Describe(c)}'");
        }
    }

    private Token? ReadPath(TextPosition start)
    {
        if (!TryReadDottedNames(out var path))
        {
            return null;
        }
        var kind = path switch
        {
            "true" => TokenKind.True,
            "false" => TokenKind.False,
            "null" => TokenKind.Null,
            "in" => TokenKind.In,
            _ => TokenKind.Path,
        };
        object? value = kind switch
        {
            TokenKind.True => true,
            TokenKind.False => false,
            _ => null,
        };
        return new Token(kind, start, path, value);
    }

    private Token? ReadVariable(TextPosition start)
    {
        _offset++;
        if (_offset >= text.Length || !IsNameStart(text[_offset]))
        {
            return Fail(start, "expected a variable name after '@'");
        }
        return TryReadDottedNames(out var name) ? new Token(TokenKind.Variable, start, "@" + name, name) : null;
    }

    private bool TryReadDottedNames(out string names)
    {
        var begin = _offset;
        while (true)
        {
            while (_offset < text.Length && (IsNameStart(text[_offset]) || char.IsAsciiDigit(text[_offset])))
            {
                _offset++;
            }
            if (Peek(0) != '.')
            {
                break;
            }
            _offset++;
            if (!IsNameStart(Peek(0)))
            {
                names = "";
                Fail(Position(), "expected a field name after '.'");
                return false;
            }
        }
        names = text[begin.._offset];
        return true;
    }

    private Token? ReadNumber(TextPosition start)
    {
        var begin = _offset;
        if (text[_offset] == '-')
        {
            _offset++;
            if (!char.IsAsciiDigit(Peek(0)))
            {
                return Fail(start, "expected a digit after '-'");
            }
        }
        SkipDigits();
        var isInteger = true;
        if (Peek(0) == '.')
        {
            _offset++;
            if (!char.IsAsciiDigit(Peek(0)))
            {
                return Fail(Position(), "expected a digit after '.'");
            }
            SkipDigits();
            isInteger = false;
        }
        if (IsNameStart(Peek(0)))
        {
            return Fail(Position(), $"unexpected character '{Describe(Peek(0))}' in a number");
        }
        var literal = text[begin.._offset];
        if (isInteger && long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new Token(TokenKind.Number, start, literal, integer);
        }
        if (!isInteger && double.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            return new Token(TokenKind.Number, start, literal, number);
        }
        return Fail(start, "number out of range");
    }

    private Token? ReadString(TextPosition start, char quote)
    {
        var value = new StringBuilder();
        _offset++;
        while (_offset < text.Length)
        {
            var c = text[_offset];
            if (c == quote)
            {
                _offset++;
                return new Token(TokenKind.String, start, text[start.Offset.._offset], value.ToString());
            }
            if (c == '\\')
            {
                var escape = Position();
                if (!TryReadEscape(value))
                {
                    return Fail(escape, "invalid escape sequence in string");
                }
                if (value.Length > 0 && value[^1] == '\0')
                {
                    return Fail(escape, "strings cannot contain NUL characters");
                }
                continue;
            }
            if (c == '\0')
            {
                // No stored text holds NUL (records refuse it, PostgreSQL cannot store it), so it is refused here too.
                return Fail(Position(), "strings cannot contain NUL characters");
            }
            Advance();
            value.Append(c);
        }
        return Fail(start, "unterminated string");
    }

    private bool TryReadEscape(StringBuilder value)
    {
        var next = Peek(1);
        char? simple = next switch
        {
            '"' => '"',
            '\'' => '\'',
            '\\' => '\\',
            '/' => '/',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => null,
        };
        if (simple is { } s)
        {
            value.Append(s);
            _offset += 2;
            return true;
        }
        if (next == 'u' && _offset + 6 <= text.Length
            && ushort.TryParse(text.AsSpan(_offset + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            value.Append((char)code);
            _offset += 6;
            return true;
        }
        return false;
    }

    private void SkipWhitespace()
    {
        while (_offset < text.Length && text[_offset] is ' ' or '\t' or '\r' or '\n')
        {
            Advance();
        }
    }

    private void SkipDigits()
    {
        while (char.IsAsciiDigit(Peek(0)))
        {
            _offset++;
        }
    }

    private void Advance()
    {
        if (text[_offset] == '\n')
        {
            _line++;
            _lineStart = _offset + 1;
        }
        _offset++;
    }

    private char Peek(int ahead) => _offset + ahead < text.Length ? text[_offset + ahead] : '\0';

    private TextPosition Position() => new(_offset, _line, _offset - _lineStart + 1);

    private Token Single(TokenKind kind, TextPosition start)
    {
        _offset++;
        return new Token(kind, start, text.Substring(start.Offset, 1));
    }

    private Token Double(TokenKind kind, TextPosition start)
    {
        _offset += 2;
        return new Token(kind, start, text.Substring(start.Offset, 2));
    }

    private Token? Fail(TextPosition position, string message)
    {
        Error = new QueryError(QueryErrorCodes.Syntax, message, position);
        return null;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString();
}
