using System.Net;
using System.Text;

namespace Sharpbase.Tests.Process;

/// <summary>
/// A JSON body sent in two halves: the first half goes out at once, the rest only when
/// <paramref name="release"/> completes, so the request is in flight for as long as the test wants.
/// </summary>
public sealed class SlowContent(string json, Task release) : HttpContent
{
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(json);
    private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first half of the body has been flushed to the server.</summary>
    public Task HalfSent => _halfSent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = _bytes.Length / 2;
        await stream.WriteAsync(_bytes.AsMemory(0, half));
        await stream.FlushAsync();
        _halfSent.TrySetResult();
        await release;
        await stream.WriteAsync(_bytes.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes.Length;
        return true;
    }
}
