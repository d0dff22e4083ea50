using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sharpbase.Tests.Infrastructure;

/// <summary>Keeps every log line of a test server (Information and above, unless told a lower level), so tests can assert on logs and faults are visible.</summary>
public sealed class LogCapture(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    private readonly LogLevel _minimum = minimum;
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner._entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? string.Empty : " | " + exception)));
        }
    }
}
