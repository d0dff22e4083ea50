using Microsoft.Extensions.Logging;

namespace Sharpbase.Protection;

internal static partial class ProtectionLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Redis at {Endpoint} is unreachable ({Reason}); rate limits are counted per node until it returns")]
    public static partial void RedisDegraded(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Redis at {Endpoint} is reachable; rate limits are shared again")]
    public static partial void RedisRestored(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Rate limit {Policy} exceeded on {Method} {Path}")]
    public static partial void Limited(ILogger logger, string policy, string method, string path);
}
