using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Sharpbase.Protection;

namespace Sharpbase.Tests.Protection;

/// <summary>
/// What the request's work sees through <see cref="HttpContext.RequestAborted"/> when its client goes
/// away: nothing for a request that ends within the grace (a statement about to finish is not
/// cancelled, which on PostgreSQL would open a connection to send the cancel), a cancellation soon
/// after the grace for one that runs on, and no timeout problem written for a client that is gone.
/// </summary>
public sealed class RequestDeadlineMiddlewareTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ClientGone_WorkEndingWithinTheGrace_RunsToItsEndUncancelled()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(30), TimeProvider.System, Grace);
        using var client = new CancellationTokenSource();
        var finished = false;
        var middleware = new RequestDeadlineMiddleware(async context =>
        {
            await client.CancelAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(100), context.RequestAborted);
            finished = !context.RequestAborted.IsCancellationRequested;
        }, deadlines);
        var context = new DefaultHttpContext { RequestAborted = client.Token };

        await middleware.InvokeAsync(context);

        Assert.True(finished);
        Assert.Equal(client.Token, context.RequestAborted);
    }

    [Fact]
    public async Task ClientGone_WorkRunningOn_IsCancelledAfterTheGrace_LongBeforeTheDeadline_AndNoProblemIsWritten()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(30), TimeProvider.System, Grace);
        using var client = new CancellationTokenSource();
        var gone = new Stopwatch();
        TimeSpan? cancelledAfter = null;
        var middleware = new RequestDeadlineMiddleware(async context =>
        {
            // Started before the client goes: the grace is counted from inside CancelAsync (the
            // registration runs there), so a watch started after it could read a little under the grace.
            gone.Start();
            await client.CancelAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            finally
            {
                cancelledAfter = gone.Elapsed;
            }
        }, deadlines);
        var context = new DefaultHttpContext { RequestAborted = client.Token };
        context.Response.Body = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => middleware.InvokeAsync(context));

        // The grace, then up to one tick of the deadlines' timer (a second at this timeout).
        Assert.InRange(cancelledAfter!.Value, Grace, Grace + TimeSpan.FromSeconds(8));
        Assert.Equal(0, context.Response.Body.Length);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }
}
