namespace Sharpbase.Admin;

/// <summary>
/// One thing the advisor found: a stable <paramref name="Id"/> (<c>missing-index</c>), a
/// <paramref name="Severity"/> (<see cref="Error"/>, <see cref="Warning"/> or <see cref="Info"/>),
/// what it is, the evidence it rests on, and how to fix it.
/// </summary>
public sealed record Finding(string Id, string Severity, string Title, string Evidence, string Fix)
{
    /// <summary>Unsafe or losing data as configured; <c>sharpbase doctor</c> exits non-zero.</summary>
    public const string Error = "error";

    /// <summary>Likely slow or risky.</summary>
    public const string Warning = "warning";

    /// <summary>Worth knowing.</summary>
    public const string Info = "info";
}
