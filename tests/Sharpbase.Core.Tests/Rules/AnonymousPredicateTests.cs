using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Rules;

/// <summary>Rules compiled once for every anonymous caller, and for each signed-in caller with their own values.</summary>
public sealed class AnonymousPredicateTests
{
    private const string Schema = """
        collections:
          posts:
            fields:
              title:  { type: text }
              status: { type: text }
              author: { type: text }
              until:  { type: datetime }
            rules:
              list: 'status = "published" || author = @auth.id'
              view: 'until > @now'
              delete: 'until > "2026-01-01T00:00:00Z" && status = "published"'
        """;

    private static readonly DateTime Now = new(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);

    private static (AccessRules Rules, CollectionDef Posts) Load()
    {
        var schema = SchemaLoader.Parse(Schema, "test.yaml").Schema!;
        return (AccessRules.Compile(schema, new SqliteDialect()).Rules!, schema.FindCollection("posts")!);
    }

    [Fact]
    public void Predicate_TwoAnonymousCallers_SameStatementAndValues()
    {
        var (rules, posts) = Load();
        List<object?> first = ["id"];
        List<object?> second = ["id"];

        var a = rules.Predicate(posts, RuleAction.List, new CallerContext(null, false, Now), "t", first);
        var b = rules.Predicate(posts, RuleAction.List, new CallerContext(null, false, Now.AddHours(1)), "t", second);

        Assert.Same(a, b);
        Assert.Equal("(t.\"status\" = 'published')", a);
        Assert.Equal(["id"], first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Predicate_AnonymousThenTwoUsers_EachUserWithTheirOwnId()
    {
        var (rules, posts) = Load();
        List<object?> anonymous = [];
        List<object?> alice = [];
        List<object?> bob = [];

        rules.Predicate(posts, RuleAction.List, new CallerContext(null, false, Now), "t", anonymous);
        var forAlice = rules.Predicate(posts, RuleAction.List, new CallerContext("alice", false, Now), "t", alice);
        var forBob = rules.Predicate(posts, RuleAction.List, new CallerContext("bob", false, Now), "t", bob);

        Assert.Equal("(t.\"status\" = 'published' OR t.\"author\" = @p0)", forAlice);
        Assert.Equal(forAlice, forBob);
        Assert.Equal(["alice"], alice);
        Assert.Equal(["bob"], bob);
        Assert.Empty(anonymous);
    }

    [Fact]
    public void Predicate_AnonymousAtAnotherParameterNumber_NumberedFromThere()
    {
        var (rules, posts) = Load();
        List<object?> atZero = [];
        List<object?> atTwo = ["a", "b"];

        var zero = rules.Predicate(posts, RuleAction.Delete, new CallerContext(null, false, Now), "t", atZero);
        var two = rules.Predicate(posts, RuleAction.Delete, new CallerContext(null, false, Now), "t", atTwo);

        Assert.Equal("(t.\"until\" > @p0 AND t.\"status\" = 'published')", zero);
        Assert.Equal("(t.\"until\" > @p2 AND t.\"status\" = 'published')", two);
        Assert.Equal(3, atTwo.Count);
        Assert.Equal(["a", "b"], atTwo[..2]);
        Assert.Equal(atZero[0], atTwo[2]);
    }

    [Fact]
    public void Predicate_RuleWithNow_EachAnonymousCallerWithTheirOwnTime()
    {
        var (rules, posts) = Load();
        List<object?> early = [];
        List<object?> late = [];

        rules.Predicate(posts, RuleAction.View, new CallerContext(null, false, Now), "t", early);
        rules.Predicate(posts, RuleAction.View, new CallerContext(null, false, Now.AddDays(1)), "t", late);

        Assert.NotEqual(early, late);
    }
}
