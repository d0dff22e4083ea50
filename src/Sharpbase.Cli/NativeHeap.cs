using System.Runtime.InteropServices;

namespace Sharpbase.Cli;

/// <summary>
/// glibc's malloc gives a thread an arena of its own, up to eight per core, and an arena keeps what it
/// once held. A server's many threads (the runtime's, the thread pool's, the database drivers') so
/// spread native memory thin: eleven arenas on two cores right after start, and at the peak of the
/// PostgreSQL benchmark nine of them held 27 MB. From the CLI's first line on, no thread opens an arena
/// beyond one per core; those the runtime's own threads opened before it stay. A <c>MALLOC_ARENA_MAX</c>
/// (or glibc tunable) set by the operator is left alone, and so are C libraries other than glibc.
/// </summary>
internal static partial class NativeHeap
{
    private const int ArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Limits glibc's malloc arenas to one per core; call before the server starts its threads.</summary>
    public static void LimitArenas()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("arena_max", StringComparison.Ordinal) == true)
        {
            return;
        }
        try
        {
            // A refused value (mallopt answers 0) leaves glibc's default in place, which is no worse than not asking.
            _ = MallocOption(ArenaMax, Math.Max(2, Environment.ProcessorCount));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl's C library has another name, and no arenas to limit).
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallocOption(int option, int value);
}
