using System.Collections.Concurrent;

namespace Sharpbase.Cluster;

/// <summary>
/// Redis writes that other nodes must see before a response of this node says a change is done
/// (a change counter bump, a revocation): a writing request's response waits for those begun
/// before it, for at most <see cref="MaxWait"/>.
/// </summary>
internal sealed class InFlight
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, Task> _running = new();
    private long _next;

    /// <summary>Tracks an operation that never throws.</summary>
    public void Track(Task operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.IsCompleted)
        {
            return;
        }
        var id = Interlocked.Increment(ref _next);
        _running[id] = operation;
        operation.ContinueWith(_ => _running.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every operation tracked so far has finished, or after <see cref="MaxWait"/>.</summary>
    public async Task WaitAsync()
    {
        if (_running.IsEmpty)
        {
            return;
        }
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(MaxWait);
        }
        catch (TimeoutException)
        {
            // The operations give up on their own; the response is not held longer.
        }
    }
}
