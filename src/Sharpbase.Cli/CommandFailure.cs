using Microsoft.Extensions.Options;
using Sharpbase.Errors;

namespace Sharpbase.Cli;

/// <summary>
/// What the command line says about an exception that no command handled, instead of the parser's
/// default of printing it with its stack trace: a configuration value that does not convert is a
/// usage error with the binder's message (it names the key, the value and the type expected; a value
/// that fails conversion is a number, flag or duration, never a password); anything else is a failure
/// given as its type and code chain (<see cref="ExceptionSummary"/>), with no message or stack trace.
/// </summary>
internal static class CommandFailure
{
    public static async Task<int> ReportAsync(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsConfiguration(exception))
        {
            await Console.Error.WriteLineAsync("sharpbase: the configuration is not valid: " + exception.Message);
            return ExitCodes.Usage;
        }
        await Console.Error.WriteLineAsync("sharpbase: the command failed: " + ExceptionSummary.Describe(exception));
        return ExitCodes.Failure;
    }

    // The binder's "Failed to convert configuration value '…' at 'server:MaxPageSize' to type 'System.Int32'."
    // and the logging filter's "Configuration value '…' is not supported."
    // A settings section's own check (OptionsValidationException) says which settings are wrong.
    private static bool IsConfiguration(Exception exception) =>
        exception is OptionsValidationException
        || (exception is InvalidOperationException && exception.Message.Contains("configuration value '", StringComparison.OrdinalIgnoreCase));
}
