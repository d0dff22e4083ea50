namespace Sharpbase.Cli;

/// <summary>The process exit codes: 0 ok, 1 runtime failure, 2 bad usage or invalid schema/configuration.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
