using FsCheck.Fluent;
using FsCheck.Xunit;
using Sharpbase.Query;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Query;

public sealed class ExpressionPropertyTests
{
    private static readonly QueryVariables Variables = new(
        "u1", ["editor"], new Dictionary<string, object?> { ["level"] = 2L }, new Dictionary<string, object?> { ["title"] = GeneratedFilter.Marker + "body" },
        new DateTime(2024, 1, 10, 0, 0, 0, DateTimeKind.Utc));

    [Property(MaxTest = 1000)]
    public bool TryParse_AnyString_ReturnsTreeOrErrorInsideTheText(string? text) => ParsesSafely(text ?? "");

    [Property(MaxTest = 1000, Arbitrary = [typeof(QueryArbitraries)])]
    public bool TryParse_TokenSoup_ReturnsTreeOrErrorInsideTheText(TokenSoup soup) => ParsesSafely(soup.Text);

    [Property(MaxTest = 1000, Arbitrary = [typeof(QueryArbitraries)])]
    public bool Compile_GeneratedFilter_KeepsEveryValueOutOfTheSql(GeneratedFilter filter)
    {
        if (!ParsesSafely(filter.Text))
        {
            return false;
        }
        if (!ExpressionBinder.TryParseAndBind(filter.Text, QueryTestSchema.Posts, QueryTestSchema.Schema, out var bound, out var error, bodyAllowed: true))
        {
            return error.Position.Offset <= filter.Text.Length;
        }
        var parameters = new List<object?>();
        var sql = SqlCompiler.Compile(bound, new SqliteDialect(), "t0", Variables, parameters);
        var withoutEscapeClause = sql.Replace("ESCAPE '\\'", "", StringComparison.Ordinal);
        return !sql.Contains(GeneratedFilter.Marker, StringComparison.Ordinal)
            && !withoutEscapeClause.Contains('\'', StringComparison.Ordinal)
            && !sql.Contains("--", StringComparison.Ordinal)
            && !sql.Contains("/*", StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_Generator_ProducesManyBindableFilters()
    {
        // Arrange
        var samples = QueryArbitraries.Filters().Generator.Sample(500, 30);

        // Act
        var bound = samples.Count(f => ExpressionBinder.TryParseAndBind(f.Text, QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out _, bodyAllowed: true));

        // Assert: the property above is only meaningful when a good share of inputs reach the compiler.
        Assert.InRange(bound, 100, 500);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("!")]
    [InlineData("!(")]
    public void TryParse_HundredThousandNestings_ReportsTooDeep(string unit)
    {
        // Arrange: longer than the length limit is refused earlier, so test both sides of it.
        var hostile = string.Concat(Enumerable.Repeat(unit, 100_000));
        var withinLength = hostile[..QueryLimits.MaxLength];

        // Act
        var hostileOk = ExpressionParser.TryParse(hostile, out _, out var tooLong);
        var withinOk = ExpressionParser.TryParse(withinLength, out _, out var tooDeep);

        // Assert
        Assert.False(hostileOk);
        Assert.Equal(QueryErrorCodes.TooLong, tooLong?.Code);
        Assert.False(withinOk);
        Assert.Equal(QueryErrorCodes.TooDeep, tooDeep?.Code);
    }

        private static bool ParsesSafely(string text)
    {
        var ok = ExpressionParser.TryParse(text, out var expr, out var error);
        if (ok)
        {
            return expr is not null && error is null;
        }
        if (expr is not null || error is null)
        {
            return false;
        }
        var (offset, line, column) = (error.Position.Offset, error.Line, error.Column);
        if (offset < 0 || offset > text.Length || line < 1 || column < 1)
        {
            return false;
        }
        // Line and column agree with the offset.
        var before = text[..offset];
        var lines = before.Count(c => c == '\n') + 1;
        var lineStart = before.LastIndexOf('\n') + 1;
        return line == lines && column == offset - lineStart + 1;
    }
}
