using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Sharpbase.Observability;

namespace Sharpbase.Cli;

/// <summary>
/// Console logging for a buffered standard output (<see cref="BufferedOutput"/>): each line is
/// formatted by the configured console formatter (JSON in production, one line with --dev) and
/// written straight into the buffer by the logging thread. The console logger hands every line to
/// its own writer thread through a lock and a wake-up, and under load that hand-off took a quarter
/// of the CPU of GET by id in a profile; copying a line into a buffer costs next to nothing. The
/// request log writes one line at a time (RequestLogQueue), so the buffer's lock is rarely contended,
/// and in JSON its lines skip the generic formatter (<see cref="JsonLogLineWriter"/>). An exception
/// reaches the formatter as its summary (<see cref="LoggedException"/>): no stack trace, SQL or secret
/// is ever logged, whoever logs it (the host, Kestrel, a library or Sharpbase).
/// </summary>
[ProviderAlias("Console")]
internal sealed class DirectConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    [ThreadStatic]
    private static StringWriter? t_line;

    private readonly ConcurrentDictionary<string, Logger> _loggers = new(StringComparer.Ordinal);
    private readonly Utf8Output _output;
    private readonly ConsoleFormatter _formatter;
    private readonly JsonLogLineWriter? _json;
    private IExternalScopeProvider? _scopes;

    public DirectConsoleLoggerProvider(Utf8Output output, IOptionsMonitor<ConsoleLoggerOptions> options, IOptionsMonitor<JsonConsoleFormatterOptions> jsonOptions,
        IEnumerable<ConsoleFormatter> formatters)
    {
        _output = output;
        _formatter = formatters.FirstOrDefault(f => f.Name == options.CurrentValue.FormatterName) ?? formatters.First(f => f.Name == ConsoleFormatterNames.Simple);
        _json = JsonLogLineWriter.For(_formatter, jsonOptions.CurrentValue);
    }

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new Logger(name, this));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _output.Flush();

    private void Write<TState>(in LogEntry<TState> entry)
    {
        if (_json is not null && entry.Exception is null && entry.State is IJsonLogState state)
        {
            _output.WriteLine(_json.Format(entry.LogLevel, entry.Category, entry.EventId, state));
            return;
        }
        var line = t_line ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var text = line.GetStringBuilder();
        text.Clear();
        _formatter.Write(entry.Exception is null ? entry : new LogEntry<TState>(entry.LogLevel, entry.Category, entry.EventId, entry.State, LoggedException.For(entry.Exception), entry.Formatter),
            _scopes, line);
        if (text.Length == 0)
        {
            return;
        }
        // One call for the whole line: a long line (several chunks) never interleaves with another thread's.
        _output.Write(text);
        if (text.Capacity > 16 * 1024)
        {
            t_line = null;
        }
    }

    private sealed class Logger(string category, DirectConsoleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state) ?? NullScope.Instance;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
            }
        }
    }

    private sealed class NullScope : IDisposable
    {
        public static readonly NullScope Instance = new();

        public void Dispose()
        {
        }
    }
}
