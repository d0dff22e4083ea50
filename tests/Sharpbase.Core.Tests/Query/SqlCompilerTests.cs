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
}
