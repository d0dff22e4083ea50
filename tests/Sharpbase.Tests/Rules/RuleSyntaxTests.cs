using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Process;

namespace Sharpbase.Tests.Rules;

/// <summary>A rule that doesn't compile stops the start, naming the rule, the line/column and a suggestion.</summary>
[Collection(ProcessTestGroup.Name)]
public sealed class RuleSyntaxTests : IDisposable
{
    private const string Schema = """
        collections:
          users:
            auth: true
          posts:
            fields:
              title:  { type: text, required: true }
              status: { type: select, values: [draft, published], default: draft }
              author: { type: relation, collection: users, default: "@auth.id", readonly: true }
            rules:
              list:   "auhtor = @auth.id"
              view:   'status = "published" || author = @auht.id'
              create: "@auth.id != null"
              update: 'author = @auth.id && staus = "draft"'
              delete: "author = "
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task StartAsync_RuleWithErrors_ThrowsNamingEveryRuleColumnAndSuggestion()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => SharpbaseServer.StartAsync(Schema, dev: false));

        var message = Flatten(exception);
        Assert.Contains("collections.posts.rules.list: unknown field 'auhtor' at 1:1 (did you mean 'author'?)", message, StringComparison.Ordinal);
        Assert.Contains("collections.posts.rules.view: ", message, StringComparison.Ordinal);
        Assert.Contains("at 1:34", message, StringComparison.Ordinal);
        Assert.Contains("collections.posts.rules.update: unknown field 'staus' at 1:22 (did you mean 'status'?)", message, StringComparison.Ordinal);
        Assert.Contains("collections.posts.rules.delete: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("collections.posts.rules.create", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_DevModeToo_Throws()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => SharpbaseServer.StartAsync(Schema, dev: true));

        Assert.Contains("collections.posts.rules.list: unknown field 'auhtor' at 1:1", Flatten(exception), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaValidate_RuleWithError_ExitsTwoAndPrintsIt()
    {
        var path = _folder.Write("sharpbase.yaml", Schema);

        var result = await SharpbaseProcess.RunAsync(_folder.Path, null, "schema", "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        // Each error names its rule's own line (list on 10, update on 13), not the collection's.
        Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(path)}:10: collections\.posts\.rules\.list: unknown field 'auhtor' at 1:1 \(did you mean 'author'\?\)\r?$", result.Stderr);
        Assert.Contains($"{path}:13: collections.posts.rules.update: unknown field 'staus' at 1:22 (did you mean 'status'?)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Serve_RuleWithError_ExitsTwoBeforeListening()
    {
        var path = _folder.Write("sharpbase.yaml", Schema);

        var result = await SharpbaseProcess.RunAsync(_folder.Path, null, "serve", "--schema", path, "--data", _folder.Combine("sb_data"), "--http", "127.0.0.1:0");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("collections.posts.rules.list: unknown field 'auhtor' at 1:1 (did you mean 'author'?)", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("sb_data", "data.db")));
    }

    private static string Flatten(Exception exception)
    {
        var text = new System.Text.StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }
        return text.ToString();
    }
}
