namespace Sharpbase.Observability;

/// <summary>The fields of one request's log line.</summary>
internal readonly record struct RequestLogLine(string Method, string Route, string Collection, int Status, double DurationMs, string UserId, string RequestId, string TraceId);
