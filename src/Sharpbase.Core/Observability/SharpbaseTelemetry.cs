using System.Diagnostics;

namespace Sharpbase.Observability;

/// <summary>The one <see cref="ActivitySource"/> of Sharpbase; a host picks the exporters.</summary>
public static class SharpbaseTelemetry
{
    /// <summary>The name of the source and, later, the meter: <c>Sharpbase</c>.</summary>
    public const string Name = "Sharpbase";

    /// <summary>The source every Sharpbase span comes from.</summary>
    public static readonly ActivitySource Source = new(Name);
}
