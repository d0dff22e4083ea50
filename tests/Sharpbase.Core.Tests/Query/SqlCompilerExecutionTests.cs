using Sharpbase.Query;

namespace Sharpbase.Core.Tests.Query;

public abstract class SqlCompilerExecutionTests<TFixture>(TFixture database) : IClassFixture<TFixture> where TFixture : QueryFixture
{
    private static readonly DateTime Now = new(2024, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, string> Scalars => new()
    {
        { "title = \"Hello World\"", "p1" },
        { "title != \"Hello World\"", "p2 p3 p4" },
        { "views > 50", "p1" },
        { "views >= 50", "p1 p2" },
        { "views < 50", "p4" },
        { "views <= 50", "p2 p4" },
        { "50 < views", "p1" },
        { "views in [0, 500]", "p1 p4" },
        { "views in []", "" },
        { "views = null", "p3" },
        { "views != null", "p1 p2 p4" },
        { "score < 0", "p4" },
        { "score = 1.5", "p1" },
        { "score > 2", "p2" },
        { "pinned = true", "p1" },
        { "pinned = false", "p2 p4" },
        { "pinned != true", "p2 p4" },
        { "status in [\"draft\"]", "p2" },
        { "status = null", "p3" },
        { "email ~ \"@EXAMPLE\"", "p1" },
        { "site = \"https://a.example\"", "p1" },
        { "ref = \"0190a000-0000-7000-8000-000000000001\"", "p1" },
        { "meta != null", "p1" },
        { "meta = null", "p2 p3 p4" },
        { "id = \"p2\"", "p2" },
        { "version > 1", "p2" },
        { "updated_at > created_at", "p2" },
        { "true", "p1 p2 p3 p4" },
        { "false", "" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Compile_ScalarComparison_MatchesExpectedRows(string filter, string expected)
    {
        AssertMatches(filter, expected);
    }

    // A rule's literals may be written into the SQL: every comparison must match the same rows as bound.
    [Theory]
    [MemberData(nameof(Scalars))]
    [InlineData("title = \"it's\"", "")]
    [InlineData("title != \"it's\"", "p1 p2 p3 p4")]
    [InlineData("title != \"a\\\\b\"", "p1 p2 p3 p4")]
    [InlineData("title in [\"50% off\", \"it's\"]", "p2")]
    public void Compile_ScalarComparisonAsSchemaText_MatchesTheSameRows(string filter, string expected)
    {
        var ids = database.Matches(filter, QueryVariables.Anonymous(Now), schemaText: true);
        Assert.Equal(expected, string.Join(' ', ids));
    }

    [Theory]
    [InlineData("title ~ \"hello\"", "p1 p4")]
    [InlineData("title !~ \"hello\"", "p2 p3")]
    [InlineData("title ~ \"50%\"", "p2")]
    [InlineData("title ~ \"500\"", "p4")]
    [InlineData("title ~ \"%\"", "p2")]
    [InlineData("title ~ \"_\"", "p3")]
    [InlineData("title ~ \"o_w\"", "")]
    [InlineData("title ~ \"\\\\\"", "p3")]
    [InlineData("title ~ \"\"", "p1 p2 p3 p4")]
    [InlineData("title ~ \"'\"", "")]
    public void Compile_Contains_IsCaseInsensitiveAndLiteral(string filter, string expected)
    {
        AssertMatches(filter, expected);
    }

    [Theory]
    [InlineData("published_at > \"2024-01-01\"", "p1 p2")]
    [InlineData("published_at >= \"2024-01-10T11:00:00+01:00\"", "p1 p2")]
    [InlineData("published_at > \"2024-01-10T11:00:00+01:00\"", "p2")]
    [InlineData("published_at < @now", "p1 p4")]
    [InlineData("published_at = \"2023-12-31T23:59:59.999Z\"", "p4")]
    [InlineData("day >= \"2024-01-10\"", "p1 p2")]
    [InlineData("day < @now", "p4")]
    [InlineData("day <= @now", "p1 p4")]
    [InlineData("@now > \"2024-01-10\"", "p1 p2 p3 p4")]
    public void Compile_Dates_CompareAsStoredText(string filter, string expected)
    {
        AssertMatches(filter, expected);
    }

    [Theory]
    [InlineData("author = \"u2\"", "p2")]
    [InlineData("author.name = \"Ann\"", "p1")]
    [InlineData("author.name ~ \"o\"", "p2")]
    [InlineData("author.name = null", "p4")]
    [InlineData("author.org.name = \"Acme\"", "p1")]
    [InlineData("author.org.country.name = \"France\"", "p1")]
    [InlineData("author.org.country.region = \"r1\"", "p1")]
    [InlineData("author.org.country = null", "p2")]
    [InlineData("tags ?= \"g1\"", "p1 p4")]
    [InlineData("tags = \"g2\"", "p1 p2")]
    [InlineData("tags in [\"g2\", \"nope\"]", "p1 p2")]
    [InlineData("tags = null", "p3")]
    [InlineData("tags != null", "p1 p2 p4")]
    [InlineData("tags.name = \"rust\"", "p1 p2")]
    [InlineData("tags.name ~ \"DOT\"", "p1 p4")]
    [InlineData("tags.name != \"rust\"", "p1 p4")]
    [InlineData("!(tags.name = \"rust\")", "p3 p4")]
    [InlineData("status = \"published\" && (views > 10 || author.name ~ \"ann\")", "p1")]
    [InlineData("status = \"published\" || views = null", "p1 p3 p4")]
    public void Compile_RelationPaths_MatchAnyRelatedRecord(string filter, string expected)
    {
        AssertMatches(filter, expected);
    }

    [Fact]
    public void Compile_Not_OfUnknownIsNotTrue()
    {
        // A comparison with a null column is unknown, and so is its negation: neither matches.
        AssertMatches("!(views > 50)", "p2 p4");
        AssertMatches("!(views > 50) || views = null", "p2 p3 p4");
    }

    [Fact]
    public void Compile_AuthVariables_FollowTheCaller()
    {
        var bob = QueryVariables.ForUser("u2", ["editor"], Now);
        AssertMatches("author = @auth.id", "p2", bob);
        AssertMatches("author = @auth.id", "", QueryVariables.Anonymous(Now));
        AssertMatches("author != @auth.id", "", QueryVariables.Anonymous(Now));
        AssertMatches("@auth.id = null", "p1 p2 p3 p4", QueryVariables.Anonymous(Now));
        AssertMatches("@auth.id != null", "p1 p2 p3 p4", bob);
        AssertMatches("@auth.roles ?= \"editor\"", "p1 p2 p3 p4", bob);
        AssertMatches("@auth.roles ?= \"editor\"", "", QueryVariables.Anonymous(Now));
        AssertMatches("status = \"published\" || author = @auth.id", "p1 p2 p4", bob);
        AssertMatches("status = \"published\" || author = @auth.id", "p1 p4", QueryVariables.Anonymous(Now));
        AssertMatches("!(author = @auth.id)", "", QueryVariables.Anonymous(Now));
        AssertMatches("!(status = \"published\" || author = @auth.id)", "", QueryVariables.Anonymous(Now));
        AssertMatches("!(status != \"published\" && author = @auth.id)", "p1 p4", QueryVariables.Anonymous(Now));
    }

    [Fact]
    public void Compile_BodyVariables_ComeFromTheBody()
    {
        var variables = new QueryVariables(null, [], new Dictionary<string, object?>(), new Dictionary<string, object?> { ["title"] = "50% off", ["views"] = 60L }, Now);
        AssertMatches("title = @body.title", "p2", variables);
        AssertMatches("views > @body.views", "p1", variables);
        AssertMatches("@body.title ~ \"%\"", "p1 p2 p3 p4", variables);
    }

    private void AssertMatches(string filter, string expected, QueryVariables? variables = null)
    {
        var ids = database.Matches(filter, variables ?? QueryVariables.Anonymous(Now));
        Assert.Equal(expected, string.Join(' ', ids));
    }
}

public sealed class SqlCompilerExecutionTestsOnSqlite(SqliteQueryFixture database) : SqlCompilerExecutionTests<SqliteQueryFixture>(database);

public sealed class SqlCompilerExecutionTestsOnPostgres(PostgresQueryFixture database) : SqlCompilerExecutionTests<PostgresQueryFixture>(database);
