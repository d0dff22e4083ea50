using System.Text;
using System.Text.RegularExpressions;
using FsCheck.Xunit;
using Sharpbase.Observability;
using Sharpbase.Storage.Postgres;

namespace Sharpbase.Core.Tests.Storage;

/// <summary>Sharpbase's @pN placeholders as PostgreSQL's $N+1, and the texts that stay with Npgsql's named parameters.</summary>
public sealed partial class PositionalStatementsTests
{
    [Fact]
    public void Rewrite_NamedPlaceholders_BecomePositionalCountingFromOne()
    {
        var text = "SELECT t.id FROM \"posts\" AS t WHERE t.id = @p0 AND (t.\"status\" = @p1 OR t.\"author\" = @p2) LIMIT @p3";

        var rewritten = PositionalStatements.Rewrite(StatementShape.Of(text), 4);

        Assert.Equal("SELECT t.id FROM \"posts\" AS t WHERE t.id = $1 AND (t.\"status\" = $2 OR t.\"author\" = $3) LIMIT $4", rewritten);
    }

    [Fact]
    public void Rewrite_PlaceholderUsedTwiceAndTwoDigitNumbers_EachKeepsItsNumber()
    {
        var text = "SELECT " + string.Join(", ", Enumerable.Range(0, 12).Select(i => $"@p{i}")) + " WHERE @p1 = @p10";

        var rewritten = PositionalStatements.Rewrite(StatementShape.Of(text), 12);

        Assert.Equal("SELECT " + string.Join(", ", Enumerable.Range(1, 12).Select(i => $"${i}")) + " WHERE $2 = $11", rewritten);
    }

    [Theory]
    [InlineData("SELECT '@p1 is text', @p0", "SELECT '@p1 is text', $1")]
    [InlineData("SELECT 'it''s @p1', @p0::text", "SELECT 'it''s @p1', $1::text")]
    [InlineData("SELECT x FROM \"odd@p1\" WHERE x LIKE @p0 ESCAPE '\\'", "SELECT x FROM \"odd@p1\" WHERE x LIKE $1 ESCAPE '\\'")]
    public void Rewrite_PlaceholderTextInsideQuotes_LeftAsItIs(string text, string expected) =>
        Assert.Equal(expected, PositionalStatements.Rewrite(StatementShape.Of(text), 1));

    [Theory]
    [InlineData("SELECT @p0; SELECT @p0", 1)]
    [InlineData("DO $$ BEGIN PERFORM @p0; END $$", 1)]
    [InlineData("SELECT $1, @p0", 1)]
    [InlineData("SELECT @p0 -- @p1", 2)]
    [InlineData("SELECT @p0 /* note */", 1)]
    [InlineData("SELECT @p0 WHERE tags @> @p1", 2)]
    [InlineData("SELECT @p0 WHERE x = @p2", 3)]
    [InlineData("SELECT @p0, @p1", 3)]
    [InlineData("SELECT @p0, @p1", 1)]
    [InlineData("SELECT 'unterminated @p0", 1)]
    [InlineData("SELECT x@p0", 1)]
    [InlineData("SELECT @p0x", 1)]
    [InlineData("SELECT @p01", 2)]
    [InlineData("SELECT @name", 1)]
    public void Rewrite_TextNpgsqlMustParse_Null(string text, int parameters) =>
        Assert.Null(PositionalStatements.Rewrite(StatementShape.Of(text), parameters));

    [Fact]
    public void Rewrite_SameTextAgain_SameAnswer()
    {
        const string text = "SELECT @p0, @p1 FROM again";

        Assert.Equal(PositionalStatements.Rewrite(StatementShape.Of(text), 2), PositionalStatements.Rewrite(StatementShape.Of(text), 2));
        Assert.Null(PositionalStatements.Rewrite(StatementShape.Of(text), 3));
    }

    [Property(MaxTest = 500)]
    public bool Rewrite_AnyTextOfWordsAndPlaceholders_OnlyThePlaceholdersChange(byte[] picks)
    {
        // Words, spaces, operators and quoted text around placeholders @p0 … @p(n-1), each at least once.
        string[] pieces = ["SELECT", " ", "t.\"name\"", " = ", "(", ")", "'a ''quoted'' @p7'", ", ", "\n", "::text", "lower(", "AND"];
        var count = picks.Length % 9 + 1;
        var text = new StringBuilder();
        var used = new HashSet<int>();
        foreach (var pick in picks)
        {
            text.Append(pieces[pick % pieces.Length]).Append(' ');
            if (pick % 3 == 0)
            {
                var index = pick % count;
                used.Add(index);
                text.Append("@p").Append(index).Append(' ');
            }
        }
        for (var i = 0; i < count; i++)
        {
            if (!used.Contains(i))
            {
                text.Append(" @p").Append(i);
            }
        }
        var original = text.ToString();

        var rewritten = PositionalStatements.Rewrite(StatementShape.Of(original), count);

        return rewritten is not null
            && !Outside(rewritten).Contains("@p", StringComparison.Ordinal)
            && Positional().Replace(rewritten, m => "@p" + (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1)) == original;
    }

    // The text with its quoted parts removed.
    private static string Outside(string text) => Quoted().Replace(text, string.Empty);

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Positional();

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();
}
