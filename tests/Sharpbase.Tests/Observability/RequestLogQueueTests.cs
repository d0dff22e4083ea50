using System.Collections.Concurrent;
using Sharpbase.Observability;

namespace Sharpbase.Tests.Observability;

public sealed class RequestLogQueueTests
{
    [Fact]
    public async Task Add_FromManyThreads_WritesEveryLineOnceAndOneAtATime()
    {
        // Arrange
        var written = new ConcurrentBag<string>();
        var inside = 0;
        var overlapped = false;
        var queue = new RequestLogQueue(line =>
        {
            if (Interlocked.Increment(ref inside) > 1)
            {
                overlapped = true;
            }
            Thread.SpinWait(200);
            written.Add(line.RequestId);
            Interlocked.Decrement(ref inside);
        });

        // Act
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                queue.Add(new RequestLogLine("GET", "/api/{collection}", "posts", 200, TimeSpan.FromMilliseconds(1), "-", $"{t}-{i}", "trace"));
            }
        })));

        // Assert: when the last Add returns, every line has been written, exactly once, never two at a time.
        Assert.False(overlapped);
        Assert.Equal(16_000, written.Count);
        Assert.Equal(16_000, written.Distinct().Count());
    }

    [Fact]
    public void Add_WithNobodyElseWriting_WritesTheLineBeforeReturning()
    {
        var written = new List<string>();
        var queue = new RequestLogQueue(line => written.Add(line.RequestId));

        queue.Add(new RequestLogLine("GET", "/health/live", "-", 200, TimeSpan.FromTicks(1_000), "-", "only", "trace"));

        Assert.Equal(["only"], written);
    }
}
