using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Core.Tests.Rules;

/// <summary><c>@body</c> is the incoming record, so only create and update rules may name it.</summary>
public sealed class RuleBodyTests
{
    private static IReadOnlyList<string> CompileErrors(string action, string rule)
    {
        var schema = SchemaLoader.Parse($$"""
            collections:
              posts:
                fields:
                  title: { type: text }
                rules:
                  {{action}}: '{{rule}}'
            """, "test.yaml").Schema!;
        return AccessRules.Compile(schema, new SqliteDialect()).Errors;
    }

    [Theory]
    [InlineData("create")]
    [InlineData("update")]
    public void Compile_BodyInAWriteRule_Compiles(string action) =>
        Assert.Empty(CompileErrors(action, "@body.title != null"));

    [Theory]
    [InlineData("list")]
    [InlineData("view")]
    [InlineData("delete")]
    public void Compile_BodyInARuleWithoutABody_RefusedWithItsAction(string action)
    {
        var error = Assert.Single(CompileErrors(action, "title = @body.title"));

        Assert.Contains($"collections.posts.rules.{action}:", error, StringComparison.Ordinal);
        Assert.Contains("only create and update rules", error, StringComparison.Ordinal);
    }
}
