using Microsoft.Extensions.Logging;

namespace Sharpbase.Protection;

internal static partial class ProtectionLog
{
    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Rate limit {Policy} exceeded on {Method} {Path}")]
    public static partial void Limited(ILogger logger, string policy, string method, string path);
}
