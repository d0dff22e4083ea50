namespace Sharpbase.Protection;

/// <summary>
/// The deadlines of the requests in flight, kept by one timer. ASP.NET Core's request-timeout
/// middleware gives every request a linked token source and a timer of its own; making, arming and
/// disposing them (the timers under the runtime's timer-queue lock) took about 3% of the CPU of a
/// GET by id on PostgreSQL in a profile. Here a request takes a token source from a pool and a slot
/// in a table; a timer that ticks ten times per timeout (at least every 10 ms, at most every second)
/// cancels the sources whose deadline has passed. A deadline therefore fires up to a tick late, never early.
/// </summary>
/// <remarks>
/// A client that goes away does not cancel its request at once: its deadline is brought forward to
/// a grace (<see cref="DefaultClientGoneGrace"/>) from then. Cancelling a PostgreSQL statement opens a connection of
/// its own to send the cancel request, and nearly every statement finishes sooner than that would:
/// a client that sends requests and drops them would otherwise make the server open a connection to
/// the database for each. A request that is still running after the grace is cancelled as before.
/// </remarks>
internal sealed class RequestDeadlines : IDisposable
{
    /// <summary>How long a request whose client went away may still run (plus up to a tick) before it is cancelled.</summary>
    public static readonly TimeSpan DefaultClientGoneGrace = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private readonly long _graceTicks;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly Stack<Deadline> _pool = new();
    private readonly Stack<int> _freeSlots = new();
    private Deadline?[] _slots = new Deadline?[64];
    private int _used;

    public RequestDeadlines(TimeSpan timeout, TimeProvider time, TimeSpan? clientGoneGrace = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _time = time;
        _timeoutTicks = (long)(timeout.TotalSeconds * time.TimestampFrequency);
        _graceTicks = (long)((clientGoneGrace ?? DefaultClientGoneGrace).TotalSeconds * time.TimestampFrequency);
        var tick = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _timer = time.CreateTimer(static state => ((RequestDeadlines)state!).Expire(), this, tick, tick);
    }

    /// <summary>Starts the deadline of a request; pass it to <see cref="Finish"/> when the request ends, whatever happened.</summary>
    public Deadline Start()
    {
        var expires = _time.GetTimestamp() + _timeoutTicks;
        lock (_lock)
        {
            var deadline = _pool.Count > 0 ? _pool.Pop() : new Deadline(this);
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NextSlot();
            _slots[slot] = deadline;
            deadline.Slot = slot;
            deadline.ExpiresAt = expires;
            return deadline;
        }
    }

    /// <summary>
    /// Ends a deadline; call it once nothing can cancel its token any more (registrations on it
    /// disposed). A deadline the timer has taken is left to the timer and never reused; any other
    /// goes back to the pool with a token that is not cancelled.
    /// </summary>
    public void Finish(Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        lock (_lock)
        {
            if (deadline.Slot < 0)
            {
                return; // expired: the timer took it out and cancels it; it is not reused
            }
            _slots[deadline.Slot] = null;
            _freeSlots.Push(deadline.Slot);
            deadline.Slot = -1;
            deadline.Reset();
            _pool.Push(deadline);
        }
    }

    /// <summary>The client of a running request went away: its deadline comes no later than the grace from now.</summary>
    public void ClientGone(Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        var latest = _time.GetTimestamp() + _graceTicks;
        lock (_lock)
        {
            if (deadline.Slot >= 0)
            {
                deadline.ExpiresAt = Math.Min(deadline.ExpiresAt, latest);
            }
        }
    }

    /// <summary>Cancels every deadline that has passed; the timer calls this on each tick.</summary>
    internal void Expire()
    {
        var now = _time.GetTimestamp();
        List<Deadline>? expired = null;
        lock (_lock)
        {
            for (var i = 0; i < _used; i++)
            {
                if (_slots[i] is { } deadline && deadline.ExpiresAt <= now)
                {
                    _slots[i] = null;
                    _freeSlots.Push(i);
                    deadline.Slot = -1;
                    deadline.Expired = true;
                    (expired ??= []).Add(deadline);
                }
            }
        }
        // Cancelling runs the request's callbacks (a database driver cancels its statement): never under
        // the lock. The request may still hold the token, so the source is left undisposed; with no
        // timer or wait handle of its own, it holds nothing the collector does not reclaim.
        foreach (var deadline in expired ?? [])
        {
            deadline.Cancel();
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            while (_pool.TryPop(out var deadline))
            {
                deadline.Dispose();
            }
        }
    }

    private int NextSlot()
    {
        if (_used == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }
        return _used++;
    }

    /// <summary>One request's deadline: its token, cancelled when the deadline passes.</summary>
    internal sealed class Deadline(RequestDeadlines owner) : IDisposable
    {
        private readonly CancellationTokenSource _source = new();

        public CancellationToken Token => _source.Token;

        /// <summary>The timer cancelled this deadline because it had passed.</summary>
        public bool Expired { get; internal set; }

        internal int Slot { get; set; } = -1;

        internal long ExpiresAt { get; set; }

        /// <summary>Cancels the token: the deadline passed.</summary>
        public void Cancel() => _source.Cancel();

        /// <summary>The client went away: the token is cancelled once the grace has passed, if the request still runs.</summary>
        public void ClientGone() => owner.ClientGone(this);

        public void Dispose() => _source.Dispose();

        /// <summary>
        /// Makes the deadline ready for another request. Only the timer cancels a token, and a deadline it
        /// has taken is never finished into the pool, so the source always resets; one that cannot would hand
        /// a cancelled token to the next request, and is refused.
        /// </summary>
        internal void Reset()
        {
            if (!_source.TryReset())
            {
                throw new InvalidOperationException("A deadline whose token was cancelled cannot serve another request.");
            }
        }
    }
}
