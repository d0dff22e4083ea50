using Microsoft.Extensions.Logging;

namespace Sharpbase.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning,
        Message = "Redis at {Endpoint} is unreachable ({Reason}); rate limits are counted per node, cached lists are bypassed and sign-ins are checked against the database until it returns")]
    public static partial void RedisDegraded(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Redis at {Endpoint} is reachable; rate limits are shared again")]
    public static partial void RedisRestored(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 504, Level = LogLevel.Debug, Message = "Redis at {Endpoint} dropped again ({Reason}) while its return was settling; limits are counted per node until it answers")]
    public static partial void RedisDroppedWhileSettling(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "A message on the Redis channel could not be read and was ignored")]
    public static partial void BadMessage(ILogger logger);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning,
        Message = "{Missing} of {Receivers} subscribers of the Redis auth channel did not confirm a session or account change within {TimeoutMs} ms; the response was sent without them")]
    public static partial void ReceiptsMissing(ILogger logger, long missing, long receivers, int timeoutMs);

    [LoggerMessage(EventId = 506, Level = LogLevel.Information,
        Message = "Resynchronised with Redis: lists carry validators again and the auth channel is trusted")]
    public static partial void Resynchronised(ILogger logger);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "Resynchronising with Redis failed ({Error}); it is tried again every second")]
    public static partial void ResyncFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 508, Level = LogLevel.Information,
        Message = "This node's probe did not come back through the Redis auth channel (its subscription was refused or lost); subscribing afresh")]
    public static partial void SubscriptionLost(ILogger logger);
}
