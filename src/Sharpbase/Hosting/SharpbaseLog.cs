using Microsoft.Extensions.Logging;

namespace Sharpbase.Hosting;

internal static partial class SharpbaseLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving {SchemaPath} ({CollectionCount} collections) from {DatabasePath}")]
    public static partial void Started(ILogger logger, string schemaPath, int collectionCount, string databasePath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Migration applied: {Step}")]
    public static partial void MigrationApplied(ILogger logger, string step);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Database closed cleanly")]
    public static partial void DatabaseClosed(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Superuser {Email} created from configuration")]
    public static partial void SuperuserCreated(ILogger logger, string email);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} (code {ErrorCode}) on {Method} {Route} (trace {TraceId})")]
    public static partial void Unhandled(ILogger logger, string exceptionType, string errorCode, string method, string route, string traceId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Database unavailable on {Method} {Route} (trace {TraceId})")]
    public static partial void Unavailable(ILogger logger, string method, string route, string traceId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Password hashing saturated on {Method} {Route} (trace {TraceId})")]
    public static partial void HashingBusy(ILogger logger, string method, string route, string traceId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Schema reloaded from {SchemaPath}: {CollectionCount} collections, {StepCount} migration steps applied")]
    public static partial void SchemaReloaded(ILogger logger, string schemaPath, int collectionCount, int stepCount);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Schema change in {SchemaPath} not applied, still serving the previous schema: {Reason}")]
    public static partial void SchemaReloadRefused(ILogger logger, string schemaPath, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "The settings section of {SchemaPath} changed; settings apply at the next start")]
    public static partial void SettingsNeedRestart(ILogger logger, string schemaPath);
}
