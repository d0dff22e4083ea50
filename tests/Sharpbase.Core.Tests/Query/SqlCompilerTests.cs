using Sharpbase.Query;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Query;

public sealed class SqlCompilerTests
{
    private static readonly DateTime Now = new(2024, 1, 10, 12, 30, 0, DateTimeKind.Utc);

    private static (string Sql, List<object?> Parameters) Compile(string text, QueryVariables? variables = null, string alias = "t0", params object?[] existing)
    {
        var bound = ExpressionBinderTests.Bind(text);
        var parameters = new List<object?>(existing);
        var sql = SqlCompiler.Compile(bound, new SqliteDialect(), alias, variables ?? QueryVariables.Anonymous(Now), parameters);
        return (sql, parameters);
    }

    [Fact]
    public void Compile_DesignExample_ContinuesParameterNumbering()
    {
        // Act
        var (sql, parameters) = Compile("status = \"published\" && (views > 10 || author.name ~ \"ann\")", existing: "before");

        // Assert
        Assert.Equal(
            "(t0.\"status\" = @p1 AND (t0.\"views\" > @p2 OR t0.\"author\" IN (SELECT t1.\"id\" FROM \"users\" t1 WHERE t1.\"name\" LIKE @p3 ESCAPE '\\')))",
            sql);
        Assert.Equal(["before", "published", 10L, "%ann%"], parameters);
    }

    [Fact]
    public void Compile_MultipleRelationPath_IsExistsOverTheJunction()
    {
        var (sql, parameters) = Compile("tags.name = \"dotnet\"");
        Assert.Equal(
            "EXISTS (SELECT 1 FROM \"_sb_rel__posts__tags\" t1 JOIN \"tags\" t2 ON t2.\"id\" = t1.target WHERE t1.source = t0.\"id\" AND t2.\"name\" = @p0)",
            sql);
        Assert.Equal(["dotnet"], parameters);
    }

    [Theory]
    [InlineData("tags = null", "NOT EXISTS (SELECT 1 FROM \"_sb_rel__posts__tags\" t1 WHERE t1.source = t0.\"id\")")]
    [InlineData("tags != null", "EXISTS (SELECT 1 FROM \"_sb_rel__posts__tags\" t1 WHERE t1.source = t0.\"id\")")]
    [InlineData("tags ?= \"g1\"", "EXISTS (SELECT 1 FROM \"_sb_rel__posts__tags\" t1 WHERE t1.source = t0.\"id\" AND t1.target = @p0)")]
    [InlineData("views = null", "t0.\"views\" IS NULL")]
    [InlineData("meta != null", "t0.\"meta\" IS NOT NULL")]
    [InlineData("views in []", "(1 = 0)")]
    [InlineData("views in [1, 2]", "t0.\"views\" IN (@p0, @p1)")]
    [InlineData("title !~ \"x\"", "t0.\"title\" NOT LIKE @p0 ESCAPE '\\'")]
    [InlineData("title != \"x\"", "t0.\"title\" <> @p0")]
    [InlineData("!(views >= 1) || false", "(NOT (t0.\"views\" >= @p0))")]
    [InlineData("true", "(1 = 1)")]
    [InlineData("updated_at > created_at", "t0.\"updated_at\" > t0.\"created_at\"")]
    [InlineData("title < author.name", "t0.\"author\" IN (SELECT t1.\"id\" FROM \"users\" t1 WHERE t1.\"name\" > t0.\"title\")")]
    [InlineData("author.org.country.region = \"r\"",
        "t0.\"author\" IN (SELECT t1.\"id\" FROM \"users\" t1 WHERE t1.\"org\" IN (SELECT t2.\"id\" FROM \"orgs\" t2 WHERE t2.\"country\" IN (SELECT t3.\"id\" FROM \"countries\" t3 WHERE t3.\"region\" = @p0)))")]
    public void Compile_Expression_ProducesSnapshot(string text, string expected)
    {
        Assert.Equal(expected, Compile(text).Sql);
    }

    [Fact]
    public void Compile_Variables_BecomeParametersInStoredForm()
    {
        // Act
        var (sql, parameters) = Compile("published_at >= @now && day < @now && id != @auth.id", QueryVariables.ForUser("u1", [], Now));

        // Assert
        Assert.Equal("(t0.\"published_at\" >= @p0 AND t0.\"day\" < @p1 AND t0.\"id\" <> @p2)", sql);
        Assert.Equal(["2024-01-10T12:30:00.000Z", "2024-01-10", "u1"], parameters);
    }

    [Fact]
    public void Compile_RolesAnyEqual_IsInOverTheRoles()
    {
        var (sql, parameters) = Compile("@auth.roles ?= \"editor\"", QueryVariables.ForUser("u1", ["admin", "editor"], Now));
        Assert.Equal("@p0 IN (@p1, @p2)", sql);
        Assert.Equal(["editor", "admin", "editor"], parameters);
    }

    [Fact]
    public void Compile_RolesAnyEqualWithoutRoles_IsFalse()
    {
        Assert.Equal("(1 = 0)", Compile("@auth.roles ?= \"editor\"").Sql);
    }

    [Fact]
    public void Compile_LikeValue_EscapesWildcardsAndTheEscape()
    {
        var (sql, parameters) = Compile("!(title ~ \"50%_\\\\\")");
        Assert.Equal("NOT (t0.\"title\" LIKE @p0 ESCAPE '\\')", sql);
        Assert.Equal(["%50\\%\\_\\\\%"], parameters);
    }

    [Fact]
    public void Compile_CallerAliasLikeAFreshAlias_SkipsIt()
    {
        var (sql, _) = Compile("author.name = \"x\"", alias: "t1");
        Assert.Equal("t1.\"author\" IN (SELECT t2.\"id\" FROM \"users\" t2 WHERE t2.\"name\" = @p0)", sql);
    }

    [Fact]
    public void Compile_BodyAndAuthFields_ReadFromTheDictionaries()
    {
        // Arrange
        var variables = new QueryVariables(
            "u1", [], new Dictionary<string, object?> { ["level"] = 3 }, new Dictionary<string, object?> { ["title"] = "new", ["tags"] = new[] { "g1" } }, Now);

        // Act
        var (sql, parameters) = Compile("@body.title != title && views > @auth.level && @body.tags ?= \"g1\" && @auth.plan = null", variables);

        // Assert
        Assert.Equal("(t0.\"title\" <> @p0 AND t0.\"views\" > @p1 AND @p2 IN (@p3))", sql);
        Assert.Equal(["new", 3L, "g1", "g1"], parameters);
    }

    [Fact]
    public void Compile_OrWithNullVariable_KeepsOnlyTheOtherSide()
    {
        // Act
        var (sql, parameters) = Compile("status = \"published\" || author = @auth.id");

        // Assert: an anonymous caller's rule is a plain comparison an index can answer in order.
        Assert.Equal("(t0.\"status\" = @p0)", sql);
        Assert.Equal(["published"], parameters);
    }

    [Fact]
    public void Compile_NullVariableUnderNot_StaysAComparison()
    {
        // Act
        var (sql, parameters) = Compile("!(status = \"published\" || author = @auth.id)");

        // Assert: under NOT, unknown and false differ, so nothing is folded.
        Assert.Equal("NOT ((t0.\"status\" = @p0 OR t0.\"author\" = @p1))", sql);
        Assert.Equal(["published", null], parameters);
    }

    private static (string Sql, List<object?> Parameters) CompileSchemaText(string text)
    {
        var parameters = new List<object?>();
        var sql = SqlCompiler.Compile(ExpressionBinderTests.Bind(text), new SqliteDialect(), "t0", QueryVariables.Anonymous(Now), parameters, schemaText: true);
        return (sql, parameters);
    }

    [Theory]
    [InlineData("status = \"published\"", "(t0.\"status\" = 'published')")]
    [InlineData("title = \"it's\"", "(t0.\"title\" = 'it''s')")]
    [InlineData("email = \"a@b.example\"", "(t0.\"email\" = 'a@b.example')")]
    [InlineData("views > 10", "(t0.\"views\" > 10)")]
    [InlineData("pinned = true", "(t0.\"pinned\" = 1)")]
    [InlineData("status in [\"draft\", \"published\"]", "(t0.\"status\" IN ('draft', 'published'))")]
    public void Compile_SchemaTextPlainLiteral_WrittenIntoTheSql(string text, string expected)
    {
        var (sql, parameters) = CompileSchemaText(text);

        Assert.Equal(expected, sql.StartsWith('(') ? sql : "(" + sql + ")");
        Assert.Empty(parameters);
    }

    [Theory]
    [InlineData("score > 1.5", 1.5)]
    [InlineData("published_at > \"2024-01-01T00:00:00Z\"", null)]
    [InlineData("ref = \"0190a000-0000-7000-8000-000000000001\"", "0190a000-0000-7000-8000-000000000001")]
    [InlineData("author = \"u1\"", "u1")]
    [InlineData("title = \"back\\\\slash\"", "back\\slash")]
    [InlineData("title = \"line\\nbreak\"", "line\nbreak")]
    public void Compile_SchemaTextOtherLiteral_StillBound(string text, object? value)
    {
        var (sql, parameters) = CompileSchemaText(text);

        Assert.Contains("@p0", sql, StringComparison.Ordinal);
        var bound = Assert.Single(parameters);
        if (value is not null)
        {
            Assert.Equal(value, bound);
        }
    }

    [Fact]
    public void Compile_SchemaTextLongText_StillBound()
    {
        var (sql, parameters) = CompileSchemaText($"title = \"{new string('x', 257)}\"");

        Assert.Equal("t0.\"title\" = @p0", sql);
        Assert.Single(parameters);
    }

    [Fact]
    public void Compile_ClientText_EveryLiteralBound()
    {
        var (sql, parameters) = Compile("status = \"published\" && views > 10 && pinned = true");

        Assert.Equal("(t0.\"status\" = @p0 AND t0.\"views\" > @p1 AND t0.\"pinned\" = @p2)", sql);
        Assert.Equal(["published", 10L, true], parameters);
    }
}
