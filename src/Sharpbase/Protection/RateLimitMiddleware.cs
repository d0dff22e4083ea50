using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sharpbase.Auth;
using Sharpbase.Errors;
using Sharpbase.Observability;

namespace Sharpbase.Protection;

/// <summary>
/// Counts a request against every policy whose routes match its normalized path, and answers 429
/// with <c>Retry-After</c> when one is exhausted. It runs twice: before authentication for the
/// per-IP policies (so bad credentials are limited too), after it for per-user and per-key ones.
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, ProtectionSettings settings, LocalRateLimiter local, RedisRateLimiter redis,
    ProtectionMetrics metrics, ILogger<RateLimitMiddleware> logger, bool afterAuthentication)
{
    private readonly RateLimitPolicy[] _policies = settings.Policies.Where(p => (p.Per != PartitionKind.Ip) == afterAuthentication).ToArray();

    // Not async until a policy applies: a request that matches none passes straight through.
    public Task InvokeAsync(HttpContext context)
    {
        string? path = null;
        for (var i = 0; i < _policies.Length; i++)
        {
            path ??= RequestPath.Normalize(context.Request);
            if (_policies[i].Matches(context.Request.Method, path))
            {
                return LimitAsync(context, i, path);
            }
        }
        return next(context);
    }

    // Counts the request against the policy at index first (which matched) and every later one that matches.
    private async Task LimitAsync(HttpContext context, int first, string path)
    {
        for (var i = first; i < _policies.Length; i++)
        {
            var policy = _policies[i];
            if (i != first && !policy.Matches(context.Request.Method, path))
            {
                continue;
            }
            var partition = Partition(context, policy.Per);
            var (decision, store) = await AcquireAsync(policy, partition);
            RateLimitHeaders.Add(context.Response, policy, decision);
            if (!decision.Allowed)
            {
                metrics.Rejected(policy.Name, store);
                ProtectionLog.Limited(logger, policy.Name, context.Request.Method, path);
                await new Problem(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
                    $"too many requests for the '{policy.Name}' limit ({policy.Limit} per {RateLimitPolicy.Seconds(policy.Window)} s); retry later")
                {
                    RetryAfterSeconds = (int)Math.Max(1, RateLimitPolicy.Seconds(decision.RetryAfter)),
                }.ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    }

    // Redis when it is configured and answers; otherwise this node's own counter.
    private async ValueTask<(RateLimitDecision Decision, string Store)> AcquireAsync(RateLimitPolicy policy, string partition)
    {
        using var span = Spans.Start("rate_limit.acquire");
        var shared = await redis.TryAcquireAsync(policy, partition);
        var decision = shared ?? local.Acquire(policy, partition);
        var store = shared is null ? "local" : "redis";
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(Spans.RateLimitPolicy, policy.Name);
            span.SetTag(Spans.RateLimitStore, store);
            span.SetTag(Spans.RateLimitResult, decision.Allowed ? "allowed" : "rejected");
        }
        return (decision, store);
    }

    private static string Partition(HttpContext context, PartitionKind per)
    {
        var caller = context.Features.Get<CallerFeature>()?.Caller;
        return per switch
        {
            PartitionKind.ApiKey when caller?.ApiKeyId is { } key => "key:" + key,
            PartitionKind.ApiKey or PartitionKind.User when caller?.AuthId is { } id => (caller.IsSuperuser ? "superuser:" : "user:") + id,
            _ => "ip:" + ClientAddress.PartitionKey(ClientAddress.Of(context)),
        };
    }
}
