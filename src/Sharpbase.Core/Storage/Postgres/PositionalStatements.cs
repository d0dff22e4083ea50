using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Sharpbase.Observability;

namespace Sharpbase.Storage.Postgres;

/// <summary>
/// Sharpbase's statements with PostgreSQL's own placeholders (<c>$1</c>, <c>$2</c>, …) in place of the
/// named ones they are built with (<c>@p0</c>, <c>@p1</c>, …). Npgsql parses and rewrites a statement
/// with named parameters on every execution (in a profile of GET by id, its parser was the busiest
/// Npgsql frame); one with positional parameters is sent as it is. A rewritten text is kept per
/// statement text, for a bounded number of texts.
/// </summary>
/// <remarks>
/// A text is left to Npgsql (null) when it holds more than one statement, a dollar sign (dollar quoting
/// or placeholders of its own), or does not refer to every parameter: those are rare, and Npgsql's
/// named mode handles them. Texts are looked up by their <see cref="StatementShape"/>, whose hash is
/// computed once per text: the command's statistics need the shape anyway, and hashing the text of
/// a statement a second time per execution was a visible cost of a GET by id.
/// </remarks>
internal static class PositionalStatements
{
    private const int MaxTexts = 512;
    private static readonly ConcurrentDictionary<StatementShape, Rewritten> Texts = new();

    /// <summary>The statement's text with <c>$n</c> placeholders, or null when it must go to Npgsql with named parameters.</summary>
    public static string? Rewrite(StatementShape statement, int parameterCount)
    {
        if (!Texts.TryGetValue(statement, out var rewritten))
        {
            rewritten = Scan(statement.Text);
            if (Texts.Count < MaxTexts)
            {
                Texts.TryAdd(statement, rewritten);
            }
        }
        return rewritten.Parameters == parameterCount ? rewritten.Text : null;
    }

    // Parameters is the count of parameters the text refers to when they are @p0 … @p(n-1) without a gap; -1 when the text must stay as it is.
    private readonly record struct Rewritten(string? Text, int Parameters);

    private static Rewritten Scan(string text)
    {
        var output = new StringBuilder(text.Length);
        var referenced = new List<bool>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '\'' or '"':
                    var end = text.IndexOf(c, i + 1);
                    // A doubled quote inside is an escaped one: the scan goes on from the second.
                    if (end < 0)
                    {
                        return new Rewritten(null, -1);
                    }
                    output.Append(text, i, end + 1 - i);
                    i = end + 1;
                    continue;
                case '$' or ';':
                    return new Rewritten(null, -1);
                case '-' when i + 1 < text.Length && text[i + 1] == '-':
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    // Comments are not something Sharpbase writes; Npgsql's parser knows them.
                    return new Rewritten(null, -1);
                case '@' when IsPlaceholder(text, i, out var index, out var length):
                    while (referenced.Count <= index)
                    {
                        referenced.Add(false);
                    }
                    referenced[index] = true;
                    output.Append('$').Append((index + 1).ToString(CultureInfo.InvariantCulture));
                    i += length;
                    continue;
                case '@':
                    return new Rewritten(null, -1);
            }
            output.Append(c);
            i++;
        }
        return referenced.TrueForAll(static r => r) ? new Rewritten(output.ToString(), referenced.Count) : new Rewritten(null, -1);
    }

    // "@p" and digits, not inside a longer word.
    private static bool IsPlaceholder(string text, int at, out int index, out int length)
    {
        index = 0;
        length = 0;
        if (at > 0 && IsWordChar(text[at - 1]) || at + 2 >= text.Length || text[at + 1] != 'p' || !char.IsAsciiDigit(text[at + 2]))
        {
            return false;
        }
        var digits = at + 2;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }
        var count = digits - (at + 2);
        if (digits < text.Length && IsWordChar(text[digits]) || count > 5 || count > 1 && text[at + 2] == '0')
        {
            return false;
        }
        index = int.Parse(text.AsSpan(at + 2, count), CultureInfo.InvariantCulture);
        length = digits - at;
        return true;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
