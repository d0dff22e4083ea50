using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Schema;

public sealed class SchemaLoaderBlogTests
{
    private static readonly SchemaLoadResult Blog = SchemaLoader.Load(BlogPath());

    [Fact]
    public void Load_BlogExample_SucceedsWithoutDiagnostics()
    {
        // Arrange: the example is loaded once for the class.

        // Act
        var diagnostics = Blog.Diagnostics.Select(d => d.ToString());

        // Assert
        Assert.Empty(diagnostics);
        Assert.True(Blog.Success);
        Assert.Equal(["users", "posts", "tags"], Blog.Schema!.Collections.Select(c => c.Name));
        Assert.Equal(BlogPath(), Blog.Schema.SourcePath);
    }

    [Fact]
    public void Load_BlogExample_ReadsTheAuthCollection()
    {
        // Arrange
        var users = Blog.Schema!.FindCollection("users")!;

        // Act
        var name = users.FindField("name")!;

        // Assert
        Assert.True(users.Auth);
        Assert.Equal(3, users.Line);
        Assert.Equal(["email", "verified", "roles", "disabled", "name", "avatar"], users.Fields.Select(f => f.Name));
        Assert.Equal(FieldType.Text, name.Type);
        Assert.Equal(100, name.Max);
        Assert.Null(name.Min);
        Assert.Equal(FieldType.Url, users.FindField("avatar")!.Type);
        Assert.Equal(new RuleSet(List: "id = @auth.id", View: "id = @auth.id", Update: "id = @auth.id"), users.Rules);
        Assert.Null(users.CacheTtl);
    }

    [Fact]
    public void Load_BlogExample_ReadsPostsFieldsInFileOrderWithTheirOptions()
    {
        // Arrange
        var posts = Blog.Schema!.FindCollection("posts")!;

        // Act
        var status = posts.FindField("status")!;
        var author = posts.FindField("author")!;
        var tags = posts.FindField("tags")!;
        var views = posts.FindField("views")!;
        var title = posts.FindField("title")!;

        // Assert
        Assert.Equal(["title", "body", "status", "author", "tags", "views", "meta", "published_at"], posts.Fields.Select(f => f.Name));
        Assert.Equal(14, title.Line);
        Assert.True(title.Required);
        Assert.Equal(200, title.Max);
        Assert.Equal(["draft", "published"], status.Values);
        Assert.Equal(new FieldDefault(DefaultKind.Literal, "\"draft\""), status.Default);
        Assert.Equal(FieldType.Relation, author.Type);
        Assert.Equal("users", author.Target);
        Assert.True(author.Required);
        Assert.True(author.Readonly);
        Assert.False(author.Multiple);
        Assert.Equal(new FieldDefault(DefaultKind.AuthId), author.Default);
        Assert.True(tags.IsMultipleRelation);
        Assert.Equal("tags", tags.Target);
        Assert.Equal(0, views.Min);
        Assert.Equal(new FieldDefault(DefaultKind.Literal, "0"), views.Default);
        Assert.Equal(FieldType.Json, posts.FindField("meta")!.Type);
        Assert.Equal(FieldType.DateTime, posts.FindField("published_at")!.Type);
    }

    [Fact]
    public void Load_BlogExample_ReadsIndexesRulesAndCache()
    {
        // Arrange
        var posts = Blog.Schema!.FindCollection("posts")!;
        var tags = Blog.Schema.FindCollection("tags")!;

        // Act
        var index = Assert.Single(posts.Indexes);

        // Assert
        Assert.Equal(["status", "published_at"], index);
        Assert.Equal("status = \"published\" || author = @auth.id", posts.Rules.List);
        Assert.Equal("@auth.id != null", posts.Rules.Create);
        Assert.Equal("author = @auth.id", posts.Rules.Delete);
        Assert.Equal(TimeSpan.FromSeconds(30), posts.CacheTtl);
        Assert.True(tags.FindField("name")!.Unique);
        Assert.Equal(new RuleSet(List: "true", View: "true"), tags.Rules);
    }

    [Fact]
    public void Load_BlogExample_FlattensSettingsIntoConfigurationKeys()
    {
        // Arrange
        var settings = Blog.Schema!.Settings;

        // Act
        var origin = settings["cors:origins:0"];

        // Assert
        Assert.Equal("http://localhost:5173", origin);
        Assert.Equal("auth", settings["rate_limits:0:name"]);
        Assert.Equal("POST /auth/*", settings["rate_limits:0:routes:0"]);
        Assert.Equal("10", settings["rate_limits:0:limit"]);
        Assert.Equal("DELETE /api/*", settings["rate_limits:1:routes:2"]);
        Assert.Equal("1m", settings["rate_limits:1:window"]);
        Assert.Equal("POST /graphql", settings["rate_limits:2:routes:0"]);
        Assert.Equal(18, settings.Count);
    }

    private static string BlogPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "blog", "sharpbase.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("examples/blog/sharpbase.yaml not found above the test output folder");
    }
}
