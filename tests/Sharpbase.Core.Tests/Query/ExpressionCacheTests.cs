using Sharpbase.Query;
using Sharpbase.Schema;

namespace Sharpbase.Core.Tests.Query;

public sealed class ExpressionCacheTests
{
    [Fact]
    public void TryGet_SameText_ReturnsTheCachedTree()
    {
        // Arrange
        var cache = new ExpressionCache();

        // Act
        Assert.True(cache.TryGet("views > 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out var first, out _));
        Assert.True(cache.TryGet("views > 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out var second, out _));

        // Assert
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryGet_Error_IsCachedToo()
    {
        var cache = new ExpressionCache();
        Assert.False(cache.TryGet("auhtor = 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out var first));
        Assert.False(cache.TryGet("auhtor = 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out var second));
        Assert.Same(first, second);
        Assert.Equal("author", first.Suggestion);
    }

    [Fact]
    public void TryGet_BeyondCapacity_EvictsTheLeastRecentlyUsed()
    {
        // Arrange
        var cache = new ExpressionCache(2);
        cache.TryGet("views > 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out var kept, out _);
        cache.TryGet("views > 2", QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out _);
        cache.TryGet("views > 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out _);

        // Act
        cache.TryGet("views > 3", QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out _);
        cache.TryGet("views > 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out var again, out _);

        // Assert
        Assert.Equal(2, cache.Count);
        Assert.Same(kept, again);
    }

    [Fact]
    public void TryGet_OtherSchemaInstance_BindsAgain()
    {
        // Arrange
        var cache = new ExpressionCache();
        var other = SchemaLoader.Parse(QueryTestSchema.Yaml, "sharpbase.yaml").Schema!;
        cache.TryGet("views > 1", QueryTestSchema.Posts, QueryTestSchema.Schema, out var first, out _);

        // Act
        cache.TryGet("views > 1", other.FindCollection("posts")!, other, out var second, out _);

        // Assert
        Assert.NotSame(first, second);
    }

    [Fact]
    public void TryGet_ManyThreads_StaysBounded()
    {
        var cache = new ExpressionCache(16);
        Parallel.For(0, 2000, i => cache.TryGet($"views > {i % 50}", QueryTestSchema.Posts, QueryTestSchema.Schema, out _, out _));
        Assert.InRange(cache.Count, 1, 16);
    }
}
