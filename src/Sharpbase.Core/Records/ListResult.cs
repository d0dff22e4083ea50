namespace Sharpbase.Records;

/// <summary>
/// A page as UTF-8 JSON, or the parameter that was refused. A page written into a pooled buffer
/// gives it back on <see cref="Dispose"/>; its <see cref="Json"/> must not be read after that.
/// </summary>
public sealed record ListResult(ReadOnlyMemory<byte> Json, ListError? Error) : IDisposable
{
    internal IDisposable? Buffer { get; init; }

    /// <summary>Gives the page's buffer back to the pool (if it has one).</summary>
    public void Dispose() => Buffer?.Dispose();
}
