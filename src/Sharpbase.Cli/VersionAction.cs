using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Sharpbase.Cli;

internal sealed class VersionAction : SynchronousCommandLineAction
{
    public static readonly VersionAction Instance = new();

    public static string Version =>
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public override int Invoke(ParseResult parseResult)
    {
        Console.WriteLine("sharpbase " + Version);
        return ExitCodes.Ok;
    }
}
