using Sharpbase.Caching;

namespace Sharpbase.Core.Tests.Caching;

public sealed class LruCacheTests
{
    [Fact]
    public void Set_BeyondEntries_EvictsTheLeastRecentlyUsed()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _));

        cache.Set("c", 3);

        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(1, a);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Set_BeyondWeight_EvictsUntilItFits()
    {
        var cache = new LruCache<string, string>(100, maxWeight: 10);
        cache.Set("a", "aaaa", 4);
        cache.Set("b", "bbbb", 4);

        cache.Set("c", "cccccc", 6);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(10, cache.Weight);
    }

    [Fact]
    public void Set_HeavierThanTheWholeCache_NotKeptAndOthersStay()
    {
        var cache = new LruCache<string, string>(100, maxWeight: 10);
        cache.Set("a", "aaaa", 4);

        cache.Set("huge", new string('x', 11), 11);

        Assert.False(cache.TryGet("huge", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.Equal(4, cache.Weight);
    }

    [Fact]
    public void Set_SameKey_ReplacesValueAndWeight()
    {
        var cache = new LruCache<string, int>(10, maxWeight: 100);
        cache.Set("a", 1, 30);

        cache.Set("a", 2, 5);

        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(2, value);
        Assert.Equal(1, cache.Count);
        Assert.Equal(5, cache.Weight);
    }

    [Fact]
    public void Set_ManyThreads_StaysWithinBothBounds()
    {
        var cache = new LruCache<int, int>(16, maxWeight: 40);

        Parallel.For(0, 5000, i =>
        {
            cache.Set(i % 97, i, 1 + i % 5);
            cache.TryGet((i * 7) % 97, out _);
        });

        Assert.InRange(cache.Count, 1, 16);
        Assert.InRange(cache.Weight, 1, 40);
    }
}
