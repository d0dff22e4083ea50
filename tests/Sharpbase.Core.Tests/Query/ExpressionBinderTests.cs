using Sharpbase.Query;
using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Query;

public sealed class ExpressionBinderTests
{
    // As a create or update rule binds: the whole language, @body included.
    internal static BoundExpr Bind(string text)
    {
        Assert.True(ExpressionBinder.TryParseAndBind(text, QueryTestSchema.Posts, QueryTestSchema.Schema, out var bound, out var error, bodyAllowed: true), error?.ToString());
        return bound;
    }

    private static QueryError BindError(string text)
    {
        Assert.True(ExpressionParser.TryParse(text, out var expr, out var parseError), parseError?.ToString());
        Assert.False(ExpressionBinder.TryBind(expr, QueryTestSchema.Posts, QueryTestSchema.Schema, out var bound, out var error, bodyAllowed: true));
        Assert.Null(bound);
        return error;
    }

    [Theory]
    [InlineData("@body.title = null", 1)]
    [InlineData("views > 1 && title = @body.title", 22)]
    [InlineData("@body.nope = 1", 1)]
    public void TryParseAndBind_BodyOutsideWriteRules_RefusedAtTheVariable(string text, int column)
    {
        Assert.False(ExpressionBinder.TryParseAndBind(text, QueryTestSchema.Posts, QueryTestSchema.Schema, out var bound, out var error));

        Assert.Null(bound);
        Assert.Equal(QueryErrorCodes.UnknownVariable, error.Code);
        Assert.Equal(column, error.Position.Column);
        Assert.Contains("only create and update rules", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // text-like: every operator
    [InlineData("title = \"x\"")]
    [InlineData("title != \"x\"")]
    [InlineData("title > \"a\"")]
    [InlineData("title >= \"a\"")]
    [InlineData("title < \"a\"")]
    [InlineData("title <= \"a\"")]
    [InlineData("title ~ \"x\"")]
    [InlineData("title !~ \"x\"")]
    [InlineData("title in [\"a\", \"b\"]")]
    [InlineData("title ?= \"x\"")]
    [InlineData("title = null")]
    [InlineData("title != null")]
    [InlineData("title = @auth.id")]
    [InlineData("title ~ @body.title")]
    [InlineData("email ~ \"@example.com\"")]
    [InlineData("email in [\"a@b.c\"]")]
    [InlineData("site = \"https://x.y\"")]
    [InlineData("site !~ \"http:\"")]
    [InlineData("ref = \"0190a000-0000-7000-8000-000000000000\"")]
    [InlineData("ref > \"0190\"")]
    [InlineData("status = \"draft\"")]
    [InlineData("status != \"published\"")]
    [InlineData("status in [\"draft\", \"published\"]")]
    [InlineData("status ~ \"dra\"")]
    [InlineData("status > \"a\"")]
    // relations
    [InlineData("author = @auth.id")]
    [InlineData("author != \"x\"")]
    [InlineData("author in [\"a\", \"b\"]")]
    [InlineData("author ?= \"x\"")]
    [InlineData("author = null")]
    [InlineData("author.name ~ \"ann\"")]
    [InlineData("tags = \"x\"")]
    [InlineData("tags != \"x\"")]
    [InlineData("tags ?= \"x\"")]
    [InlineData("tags in [\"x\"]")]
    [InlineData("tags = null")]
    [InlineData("tags != null")]
    [InlineData("tags.name = \"dotnet\"")]
    [InlineData("@auth.roles ?= author")]
    // numbers
    [InlineData("views = 1")]
    [InlineData("views != 1")]
    [InlineData("views > 1.5")]
    [InlineData("views >= -1")]
    [InlineData("views < 1")]
    [InlineData("views <= 1")]
    [InlineData("views in [1, 2]")]
    [InlineData("views = null")]
    [InlineData("score < 2.5")]
    [InlineData("score = 1")]
    [InlineData("version > 1")]
    // booleans
    [InlineData("pinned = true")]
    [InlineData("pinned != false")]
    [InlineData("pinned in [true]")]
    [InlineData("pinned = null")]
    // dates
    [InlineData("published_at > \"2024-01-01\"")]
    [InlineData("published_at >= \"2024-01-01T10:00:00Z\"")]
    [InlineData("published_at < @now")]
    [InlineData("published_at in [\"2024-01-01T00:00:00.5Z\"]")]
    [InlineData("created_at > \"2024-01-01T10:00:00+02:00\"")]
    [InlineData("updated_at != null")]
    [InlineData("updated_at > created_at")]
    [InlineData("day = \"2024-02-29\"")]
    [InlineData("day <= @now")]
    [InlineData("day in [\"2024-01-01\"]")]
    [InlineData("day = @body.day")]
    // json
    [InlineData("meta = null")]
    [InlineData("meta != null")]
    // system fields and variables
    [InlineData("id = \"x\"")]
    [InlineData("id ~ \"01\"")]
    [InlineData("@auth.id != null")]
    [InlineData("@auth.roles ?= \"editor\"")]
    [InlineData("\"editor\" ?= @auth.roles")]
    [InlineData("@auth.plan = \"pro\"")]
    [InlineData("@auth.level > 3")]
    [InlineData("views > @auth.level")]
    [InlineData("@now > \"2024-01-01\"")]
    [InlineData("@body.tags ?= \"x\"")]
    [InlineData("@body.secret_note != null")]
    [InlineData("true")]
    [InlineData("!(false)")]
    [InlineData("author.name = title")]
    [InlineData("title = author.name")]
    public void TryBind_ValidComparison_Binds(string text)
    {
        Assert.NotNull(Bind(text));
    }

    [Theory]
    [InlineData("views = \"x\"", QueryErrorCodes.TypeMismatch, "cannot compare integer field 'views' with a string", 9)]
    [InlineData("title = 1", QueryErrorCodes.TypeMismatch, "cannot compare text field 'title' with a number", 9)]
    [InlineData("pinned = 1", QueryErrorCodes.TypeMismatch, "cannot compare boolean field 'pinned' with a number", 10)]
    [InlineData("score = true", QueryErrorCodes.TypeMismatch, "cannot compare number field 'score' with a boolean", 9)]
    [InlineData("author = 5", QueryErrorCodes.TypeMismatch, "cannot compare relation field 'author' with a number", 10)]
    [InlineData("tags = 5", QueryErrorCodes.TypeMismatch, "cannot compare multiple relation field 'tags' with a number", 8)]
    [InlineData("pinned > true", QueryErrorCodes.InvalidOperator, "boolean field 'pinned' cannot be ordered with '>'", 1)]
    [InlineData("author >= \"x\"", QueryErrorCodes.InvalidOperator, "relation field 'author' cannot be ordered with '>='", 1)]
    [InlineData("tags < \"x\"", QueryErrorCodes.InvalidOperator, "multiple relation field 'tags' cannot be ordered with '<'", 1)]
    [InlineData("meta = \"x\"", QueryErrorCodes.InvalidOperator, "json field 'meta' can only be compared with null", 1)]
    [InlineData("meta ~ \"x\"", QueryErrorCodes.InvalidOperator, "json field 'meta' can only be compared with null", 1)]
    [InlineData("meta in [\"x\"]", QueryErrorCodes.InvalidOperator, "'in' cannot be used with json field 'meta'", 1)]
    [InlineData("views ~ \"1\"", QueryErrorCodes.InvalidOperator, "'~' needs text, not integer field 'views'", 1)]
    [InlineData("author ~ \"x\"", QueryErrorCodes.InvalidOperator, "'~' needs text, not relation field 'author'", 1)]
    [InlineData("pinned !~ \"x\"", QueryErrorCodes.InvalidOperator, "'!~' needs text, not boolean field 'pinned'", 1)]
    [InlineData("published_at ~ \"2024\"", QueryErrorCodes.InvalidOperator, "'~' needs text, not datetime field 'published_at'", 1)]
    [InlineData("title ~ 1", QueryErrorCodes.TypeMismatch, "cannot compare text field 'title' with a number", 9)]
    [InlineData("\"x\" ~ title", QueryErrorCodes.InvalidOperator, "the right side of '~' must be a string or a variable, not a field", 7)]
    [InlineData("published_at > \"yesterday\"", QueryErrorCodes.TypeMismatch, "'yesterday' is not an ISO 8601 datetime", 16)]
    [InlineData("day = \"2024-02-30\"", QueryErrorCodes.TypeMismatch, "'2024-02-30' is not an ISO 8601 date (yyyy-MM-dd)", 7)]
    [InlineData("day = \"2024-01-01T00:00:00Z\"", QueryErrorCodes.TypeMismatch, "'2024-01-01T00:00:00Z' is not an ISO 8601 date (yyyy-MM-dd)", 7)]
    [InlineData("day = published_at", QueryErrorCodes.TypeMismatch, "cannot compare date field 'day' with datetime field 'published_at'", 7)]
    [InlineData("status in [\"draft\", \"x\"]", QueryErrorCodes.TypeMismatch, "'x' is not a value of select field 'status' (draft, published)", 21)]
    [InlineData("views > null", QueryErrorCodes.TypeMismatch, "null can only be compared with '= null' or '!= null' on a field or a variable", 9)]
    [InlineData("views in [1, null]", QueryErrorCodes.TypeMismatch, "null is not allowed in a list; use '= null'", 14)]
    [InlineData("views in [\"a\"]", QueryErrorCodes.TypeMismatch, "cannot compare integer field 'views' with a string", 11)]
    [InlineData("title = @now", QueryErrorCodes.TypeMismatch, "cannot compare text field 'title' with '@now'", 9)]
    [InlineData("views = @auth.id", QueryErrorCodes.TypeMismatch, "cannot compare integer field 'views' with '@auth.id'", 9)]
    [InlineData("@auth.roles = \"x\"", QueryErrorCodes.InvalidOperator, "'@auth.roles' is a list: compare it with '?='", 1)]
    [InlineData("@auth.roles ?= 1", QueryErrorCodes.TypeMismatch, "cannot compare a number with '@auth.roles'", 1)]
    [InlineData("views ?= @auth.roles", QueryErrorCodes.TypeMismatch, "cannot compare integer field 'views' with '@auth.roles'", 10)]
    [InlineData("title = views", QueryErrorCodes.TypeMismatch, "cannot compare text field 'title' with integer field 'views'", 9)]
    [InlineData("author.name = tags.name", QueryErrorCodes.Unsupported, "only one side of a comparison may follow a relation", 15)]
    [InlineData("secret_note = \"x\"", QueryErrorCodes.FieldNotFilterable, "field 'secret_note' is not filterable", 1)]
    [InlineData("author.secret = \"x\"", QueryErrorCodes.FieldNotFilterable, "field 'secret' is not filterable", 8)]
    [InlineData("author.nmae = \"x\"", QueryErrorCodes.UnknownField, "unknown field 'nmae' in 'users'", 8)]
    [InlineData("title.x = 1", QueryErrorCodes.NotARelation, "'title' is not a relation, so 'x' cannot follow it", 7)]
    [InlineData("author.org.country.region.name = \"x\"", QueryErrorCodes.TooManyHops, "path 'author.org.country.region.name' follows more than 3 relations", 1)]
    [InlineData("@foo = 1", QueryErrorCodes.UnknownVariable, "unknown variable '@foo'; use @auth.<field>, @body.<field> or @now", 1)]
    [InlineData("@auth = 1", QueryErrorCodes.UnknownVariable, "unknown variable '@auth'; use @auth.<field>, @body.<field> or @now", 1)]
    [InlineData("@now.x = 1", QueryErrorCodes.UnknownVariable, "unknown variable '@now.x'; use @auth.<field>, @body.<field> or @now", 1)]
    [InlineData("@auth.levl = 1", QueryErrorCodes.UnknownVariable, "unknown field 'levl' in '@auth'", 1)]
    [InlineData("@auth.secret = 1", QueryErrorCodes.UnknownVariable, "unknown field 'secret' in '@auth'", 1)]
    [InlineData("x = 1 && @body.nope = 1", QueryErrorCodes.UnknownField, "unknown field 'x'", 1)]
    public void TryBind_InvalidComparison_ReportsCodeMessageAndColumn(string text, string code, string message, int column)
    {
        // Act
        var error = BindError(text);

        // Assert
        Assert.Equal((code, message, column), (error.Code, error.Message, error.Column));
    }

    [Fact]
    public void TryBind_MisspelledField_SuggestsVisibleField()
    {
        var error = BindError("auhtor = @auth.id");
        Assert.Equal("unknown field 'auhtor' at 1:1 (did you mean 'author'?)", error.ToString());
    }

    [Theory]
    [InlineData("secret_not = \"x\"", null)]
    [InlineData("author.secrt = \"x\"", null)]
    [InlineData("author.nmae = \"x\"", "name")]
    [InlineData("creted_at = null", "created_at")]
    [InlineData("STATUS = null", "status")]
    [InlineData("@nwo = null", "@now")]
    [InlineData("@body.titel = null", "@body.title")]
    [InlineData("status = \"publishd\"", "published")]
    public void TryBind_Misspelling_SuggestsOnlyVisibleNames(string text, string? suggestion)
    {
        Assert.Equal(suggestion, BindError(text).Suggestion);
    }

    [Fact]
    public void TryBind_ThreeHops_ResolvesEachHop()
    {
        // Act
        var comparison = Assert.IsType<BoundComparison>(Bind("author.org.country.region = \"r\""));

        // Assert
        var field = Assert.IsType<BoundField>(comparison.Left);
        Assert.Equal(["author", "org", "country"], field.Hops.Select(h => h.Field.Name));
        Assert.Equal(["users", "orgs", "countries"], field.Hops.Select(h => h.Target.Name));
        Assert.Equal("countries", field.Collection.Name);
        Assert.Equal("region", field.Field.Name);
    }

    [Fact]
    public void TryBind_MultipleRelationPath_KeepsTheMultipleHop()
    {
        var field = Assert.IsType<BoundField>(Assert.IsType<BoundComparison>(Bind("tags.name = \"dotnet\"")).Left);
        var hop = Assert.Single(field.Hops);
        Assert.True(hop.Field.IsMultipleRelation);
        Assert.Equal("tags", hop.Target.Name);
    }

    [Fact]
    public void TryBind_LiteralOnTheLeft_SwapsAndMirrors()
    {
        var comparison = Assert.IsType<BoundComparison>(Bind("5 < views"));
        Assert.Equal("views", Assert.IsType<BoundField>(comparison.Left).Path);
        Assert.Equal(ComparisonOperator.Greater, comparison.Operator);
        Assert.Equal(new BoundLiteral(5L), comparison.Right);
    }

    [Fact]
    public void TryBind_RelationPathOnTheRight_MovesItLeft()
    {
        var comparison = Assert.IsType<BoundComparison>(Bind("title < author.name"));
        Assert.Equal("author.name", Assert.IsType<BoundField>(comparison.Left).Path);
        Assert.Equal(ComparisonOperator.Greater, comparison.Operator);
        Assert.Equal("title", Assert.IsType<BoundField>(comparison.Right).Path);
    }

    [Theory]
    [InlineData("@auth.roles ?= \"editor\"")]
    [InlineData("\"editor\" ?= @auth.roles")]
    public void TryBind_ListVariable_GoesRight(string text)
    {
        var comparison = Assert.IsType<BoundComparison>(Bind(text));
        Assert.Equal(new BoundLiteral("editor"), comparison.Left);
        Assert.Equal(ComparisonOperator.AnyEqual, comparison.Operator);
        Assert.Equal(new BoundVariable(VariableKind.AuthRoles, null, null), comparison.Right);
    }

    [Fact]
    public void TryBind_AnyEqualOnAField_BecomesEqual()
    {
        Assert.Equal(ComparisonOperator.Equal, Assert.IsType<BoundComparison>(Bind("tags ?= \"x\"")).Operator);
    }

    [Theory]
    [InlineData("published_at > \"2024-01-01\"", "2024-01-01T00:00:00.000Z")]
    [InlineData("published_at > \"2024-01-01T10:00:00+02:00\"", "2024-01-01T08:00:00.000Z")]
    [InlineData("published_at > \"2024-01-01T10:00:00.25Z\"", "2024-01-01T10:00:00.250Z")]
    [InlineData("day > \"2024-01-31\"", "2024-01-31")]
    public void TryBind_DateLiteral_IsNormalisedToStoredText(string text, string stored)
    {
        Assert.Equal(new BoundLiteral(stored), Assert.IsType<BoundComparison>(Bind(text)).Right);
    }

    [Fact]
    public void TryBind_NullOnTheLeft_GoesRight()
    {
        var comparison = Assert.IsType<BoundComparison>(Bind("null != @auth.id"));
        Assert.Equal(new BoundVariable(VariableKind.AuthId, null, null), comparison.Left);
        Assert.Equal(new BoundLiteral(null), comparison.Right);
    }

    [Fact]
    public void TryBind_HiddenFieldInOtherCollection_IsNotFilterableEvenWhenPathIsValid()
    {
        var users = QueryTestSchema.Schema.FindCollection("users")!;
        Assert.True(ExpressionParser.TryParse("secret = \"x\"", out var expr, out _));
        Assert.False(ExpressionBinder.TryBind(expr, users, QueryTestSchema.Schema, out _, out var error));
        Assert.Equal(QueryErrorCodes.FieldNotFilterable, error.Code);
    }

    [Fact]
    public void TryBind_HandBuiltDeepTree_ReportsTooDeep()
    {
        // Arrange
        Expr expr = new ConstantExpr(TextPosition.Start, true);
        for (var i = 0; i < 10_000; i++)
        {
            expr = new NotExpr(TextPosition.Start, expr);
        }

        // Act
        var ok = ExpressionBinder.TryBind(expr, QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.Equal(QueryErrorCodes.TooDeep, error?.Code);
    }

    [Fact]
    public void TryBind_SchemaField_IsTheDeclaredDefinition()
    {
        var field = Assert.IsType<BoundField>(Assert.IsType<BoundComparison>(Bind("views > 1")).Left);
        Assert.Same(QueryTestSchema.Posts.FindField("views"), field.Field);
        Assert.Equal(FieldType.Integer, field.Field.Type);
    }
}
