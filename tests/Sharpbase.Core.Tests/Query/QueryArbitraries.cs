using FsCheck;
using FsCheck.Fluent;

namespace Sharpbase.Core.Tests.Query;

/// <summary>A filter text built from the language's own vocabulary; string literals start with <see cref="Marker"/>.</summary>
public sealed record GeneratedFilter(string Text)
{
    public const string Marker = "ZQX";

    public override string ToString() => Text;
}

/// <summary>Token soup: random sequences of the language's tokens, mostly ill-formed.</summary>
public sealed record TokenSoup(string Text)
{
    public override string ToString() => Text;
}

public static class QueryArbitraries
{
    private static readonly string[] Operands =
    [
        "title", "views", "score", "pinned", "status", "author", "author.name", "author.org.country.name", "tags", "tags.name",
        "published_at", "day", "meta", "id", "created_at", "secret_note", "nope", "@auth.id", "@auth.roles", "@auth.level",
        "@now", "@body.title", "1", "-2.5", "true", "false", "null", "\"2024-01-01\"", "\"draft\"",
    ];

    private static readonly string[] Operators = ["=", "!=", ">", ">=", "<", "<=", "~", "!~", "?="];

    private static readonly string[] Tokens =
    [
        "(", ")", "[", "]", ",", "!", "&&", "||", "=", "!=", "~", "!~", "?=", "in", ">", "<=", "\"", "'", "\\", "@", ".",
        "title", "a.b", "@auth.id", "1", "-", "1.", "\"x\"", "null", " ", "\n", "&", "|", "?",
    ];

    // Characters that matter to SQL and to the lexer: quotes, escapes, wildcards, comment starters.
    private static readonly char[] Chars = "abc XYZ'\"\\%_-;/*()[]@.\n\t0é".ToCharArray();

    public static Arbitrary<GeneratedFilter> Filters() => Arb.From(Gen.Sized(size => Expression(Math.Min(size / 10, 3))).Select(t => new GeneratedFilter(t)));

    public static Arbitrary<TokenSoup> Soups() =>
        Arb.From(Gen.ListOf(Gen.Elements(Tokens)).Select(tokens => new TokenSoup(string.Join("", tokens))));

    private static Gen<string> Expression(int depth)
    {
        var comparison = Comparison();
        if (depth <= 0)
        {
            return comparison;
        }
        var inner = Expression(depth - 1);
        return Gen.Frequency(
            (3, comparison),
            (1, inner.Select(e => "!(" + e + ")")),
            (1, inner.Zip(inner).Select(p => "(" + p.Item1 + " && " + p.Item2 + ")")),
            (1, inner.Zip(inner).Select(p => p.Item1 + " || " + p.Item2)));
    }

    private static Gen<string> Comparison()
    {
        var operand = Gen.Frequency((3, Gen.Elements(Operands)), (2, StringLiteral()));
        var list = Gen.ListOf(Gen.OneOf(StringLiteral(), Gen.Elements("1", "null", "true"))).Select(items => "[" + string.Join(", ", items) + "]");
        var plain = operand.Zip(Gen.Elements(Operators)).Zip(operand).Select(p => p.Item1.Item1 + " " + p.Item1.Item2 + " " + p.Item2);
        var inList = Gen.Elements(Operands).Zip(list).Select(p => p.Item1 + " in " + p.Item2);
        var textField = Gen.Elements("title", "author.name", "tags.name", "author.org.country.name", "email", "@body.title", "@auth.id");
        var text = textField.Zip(Gen.Elements(Operators)).Zip(StringLiteral())
            .Select(p => p.Item1.Item1 + " " + (p.Item1.Item2 == "?=" ? "=" : p.Item1.Item2) + " " + p.Item2);
        var textList = textField.Zip(Gen.ListOf(StringLiteral()).Resize(5)).Select(p => p.Item1 + " in [" + string.Join(", ", p.Item2) + "]");
        var typed = Gen.Elements(
            "views > 1", "score <= -2.5", "pinned = true", "published_at >= \"2024-01-01\"", "day < @now", "meta = null",
            "tags != null", "status in [\"draft\"]", "created_at < @now", "author = @auth.id");
        var anyRole = StringLiteral().Select(v => "@auth.roles ?= " + v);
        return Gen.Frequency((1, plain), (1, inList.Resize(5)), (10, text), (2, textList), (6, typed), (2, anyRole));
    }

    private static Gen<string> StringLiteral() =>
        Gen.ListOf(Gen.Elements(Chars)).Resize(12).Zip(Gen.Elements('"', '\'')).Select(p => Quote(GeneratedFilter.Marker + string.Concat(p.Item1), p.Item2));

    private static string Quote(string value, char quote) =>
        quote + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace(quote.ToString(), "\\" + quote, StringComparison.Ordinal) + quote;
}
