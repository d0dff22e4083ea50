using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sharpbase.Errors;

namespace Sharpbase.Protection;

/// <summary>
/// Stops a request that runs past <c>request_timeout</c>: from here on <see cref="HttpContext.RequestAborted"/>
/// is cancelled when the deadline passes, or when the client has gone away and the request still runs
/// a grace later (<see cref="RequestDeadlines.DefaultClientGoneGrace"/>), and a request stopped by its
/// deadline before its response started gets a 503 <c>request_timeout</c> problem.
/// </summary>
internal sealed class RequestDeadlineMiddleware(RequestDelegate next, RequestDeadlines deadlines)
{
    private static readonly Action<object?> ClientGone = static deadline => ((RequestDeadlines.Deadline)deadline!).ClientGone();

    public async Task InvokeAsync(HttpContext context)
    {
        var clientAborted = context.RequestAborted;
        var deadline = deadlines.Start();
        var registration = clientAborted.UnsafeRegister(ClientGone, deadline);
        context.RequestAborted = deadline.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (deadline.Expired && !clientAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteTimeoutAsync(context);
        }
        finally
        {
            await registration.DisposeAsync();
            context.RequestAborted = clientAborted;
            deadlines.Finish(deadline);
        }
    }

    // The body may be half read by a cancelled read, so the connection cannot be reused: close it.
    private static Task WriteTimeoutAsync(HttpContext context) =>
        new Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.RequestTimeout, "the request took too long and was stopped; retry later")
        {
            RetryAfterSeconds = 1,
            Headers = new Dictionary<string, string> { [HeaderNames.Connection] = "close" },
        }.ExecuteAsync(context);
}
