using System.CommandLine;
using Sharpbase.Cli;

NativeHeap.LimitArenas();
var root = new RootCommand("Sharpbase: declare collections and rules in one file, get a secure REST API.")
{
    ServeCommand.Create(),
    MigrateCommand.Create(),
    SchemaCommand.Create(),
    SuperuserCommand.Create(),
    DoctorCommand.Create(),
    new Command("version", "Print the version.") { Action = VersionAction.Instance },
};
// With no command, `sharpbase` serves, exactly as `sharpbase serve` would: no arguments at all, or
// options only (`sharpbase --dev`), other than the root's own (--help, --version).
var rootOption = args.Length > 0 && root.Options.Any(option => option.Name == args[0] || option.Aliases.Contains(args[0]));
var effective = args.Length == 0 || (args[0].StartsWith('-') && !rootOption) ? ["serve", .. args] : args;
var parsed = root.Parse(effective);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync("sharpbase: " + error.Message);
    }
    await Console.Error.WriteLineAsync("Run 'sharpbase --help' for usage.");
    return ExitCodes.Usage;
}
// The parser's own handler would print an exception no command handled with its stack trace.
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return await CommandFailure.ReportAsync(e);
}
