namespace Sharpbase.Tests.Process;

/// <summary>
/// Tests that run the real `sharpbase` executable share one collection and run alone: a server
/// under a write storm or a shutdown deadline should not compete with other tests for the CPU.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTestGroup
{
    public const string Name = "Process";
}
