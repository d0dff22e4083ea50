using Microsoft.AspNetCore.Http;

namespace Sharpbase.Cluster;

/// <summary>
/// Holds the response of a writing request (any method but GET, HEAD, OPTIONS) until the Redis
/// writes begun before it — the change counter, revocations — are done, so a client that is told
/// "written" and then asks another node is answered from the new state. Without Redis it does nothing.
/// </summary>
internal sealed class InFlightMiddleware(RequestDelegate next, RedisConnection redis, InFlight inFlight)
{
    private static readonly Func<object, Task> WaitAsync = static state => ((InFlight)state).WaitAsync();

    public Task InvokeAsync(HttpContext context)
    {
        if (redis.IsConfigured && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)))
        {
            context.Response.OnStarting(WaitAsync, inFlight);
        }
        return next(context);
    }
}
