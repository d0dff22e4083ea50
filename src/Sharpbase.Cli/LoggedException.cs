using Sharpbase.Errors;

namespace Sharpbase.Cli;

/// <summary>
/// Stands in for an exception on its way to a console formatter, which writes <see cref="ToString"/>:
/// the type and code of each exception in the chain (<see cref="ExceptionSummary"/>), with no stack
/// trace and no message that could carry SQL, values or secrets.
/// </summary>
internal sealed class LoggedException : Exception
{
    private readonly string _summary;

    public LoggedException()
        : this(string.Empty)
    {
    }

    public LoggedException(string summary)
        : base(summary) => _summary = summary;

    public LoggedException(string summary, Exception innerException)
        : base(summary, innerException) => _summary = summary;

    public static LoggedException For(Exception exception) => new(ExceptionSummary.Describe(exception));

    public override string ToString() => _summary;
}
