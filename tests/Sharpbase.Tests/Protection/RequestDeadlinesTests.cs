using Sharpbase.Protection;

namespace Sharpbase.Tests.Protection;

/// <summary>The shared timer of request deadlines, ticked by hand on a clock the test moves.</summary>
public sealed class RequestDeadlinesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(50);

    private readonly SteppedClock _clock = new();

    [Fact]
    public void Deadline_IsCancelledOnlyOnceItHasPassed()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(30), _clock);
        var deadline = deadlines.Start();

        _clock.Advance(TimeSpan.FromSeconds(29.9));
        deadlines.Expire();
        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        deadlines.Expire();
        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.Expired);
    }

    [Fact]
    public void FinishedDeadline_IsNeverCancelled_AndItsTokenServesTheNextRequest()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(1), _clock);
        var first = deadlines.Start();
        var token = first.Token;
        deadlines.Finish(first);

        _clock.Advance(TimeSpan.FromSeconds(5));
        deadlines.Expire();
        Assert.False(token.IsCancellationRequested);

        var second = deadlines.Start();
        Assert.Same(first, second);
        Assert.False(second.Token.IsCancellationRequested);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        deadlines.Expire();
        Assert.False(second.Token.IsCancellationRequested);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        deadlines.Expire();
        Assert.True(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void ClientGone_CancelsOnlyOnceTheGraceHasPassed()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(30), _clock);
        var deadline = deadlines.Start();
        _clock.Advance(TimeSpan.FromSeconds(3));

        deadline.ClientGone();
        _clock.Advance(RequestDeadlines.DefaultClientGoneGrace - TimeSpan.FromMilliseconds(1));
        deadlines.Expire();
        Assert.False(deadline.Token.IsCancellationRequested);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        deadlines.Expire();
        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.Expired);
        deadlines.Finish(deadline);
        Assert.NotSame(deadline, deadlines.Start());
    }

    [Fact]
    public void DeadlineCancelledOutsideTheTimer_IsNeverPooled()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(30), _clock);
        var deadline = deadlines.Start();
        deadline.Cancel();

        Assert.Throws<InvalidOperationException>(() => deadlines.Finish(deadline));
        var next = deadlines.Start();
        Assert.NotSame(deadline, next);
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void ClientGone_NeverPutsTheDeadlineOff()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(2), _clock);
        var deadline = deadlines.Start();
        _clock.Advance(TimeSpan.FromSeconds(1.5));

        deadline.ClientGone();
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        deadlines.Expire();

        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void ClientGone_RequestFinishingWithinTheGrace_IsNeverCancelled_AndItsDeadlineServesTheNextRequest()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(30), _clock);
        var deadline = deadlines.Start();
        var token = deadline.Token;

        deadline.ClientGone();
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        deadlines.Finish(deadline);
        _clock.Advance(TimeSpan.FromSeconds(5));
        deadlines.Expire();

        Assert.False(token.IsCancellationRequested);
        var next = deadlines.Start();
        Assert.Same(deadline, next);
        _clock.Advance(TimeSpan.FromSeconds(5));
        deadlines.Expire();
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void ExpiredDeadline_IsNotReused_AfterItsRequestFinishes()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(1), _clock);
        var expired = deadlines.Start();
        _clock.Advance(TimeSpan.FromSeconds(1));
        deadlines.Expire();
        deadlines.Finish(expired);

        var next = deadlines.Start();
        Assert.NotSame(expired, next);
        Assert.False(next.Token.IsCancellationRequested);
        Assert.False(next.Expired);
    }

    [Fact]
    public void ManyDeadlines_EachExpiresAtItsOwnTime_AndFinishedOnesFreeTheirSlots()
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromSeconds(10), _clock);
        var started = new List<RequestDeadlines.Deadline>();
        for (var i = 0; i < 200; i++)
        {
            started.Add(deadlines.Start());
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        // Every other one finishes; the rest expire in the order they started. The clock is at 2 s.
        for (var i = 0; i < started.Count; i += 2)
        {
            deadlines.Finish(started[i]);
        }
        _clock.Advance(TimeSpan.FromMilliseconds(8_995));
        deadlines.Expire();

        // At 10.995 s the deadlines of requests started up to 0.995 s (i <= 99) have passed.
        for (var i = 0; i < started.Count; i++)
        {
            Assert.Equal(i % 2 == 1 && i <= 99, started[i].Token.IsCancellationRequested);
        }
        var reused = Enumerable.Range(0, 100).Select(_ => deadlines.Start()).ToList();
        Assert.All(reused, deadline => Assert.False(deadline.Token.IsCancellationRequested));
        Assert.Equal(100, reused.Intersect(started.Where((_, i) => i % 2 == 0)).Count());
    }

    [Fact]
    public async Task UnderConcurrentRequestsAndTicks_ANewDeadlineIsNeverCancelled_AndNoneExpiresEarly()
    {
        var grace = TimeSpan.FromMilliseconds(10);
        using var deadlines = new RequestDeadlines(Timeout, _clock, grace);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var problems = 0;
        var expired = 0;
        var ticker = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(1));
                deadlines.Expire();
            }
        });
        var requests = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var startedAt = _clock.GetTimestamp();
                var deadline = deadlines.Start();
                // A token cancelled before its deadline would be one reused from another request.
                if (deadline.Token.IsCancellationRequested && _clock.GetElapsedTime(startedAt) < Timeout)
                {
                    Interlocked.Increment(ref problems);
                }
                // A client that goes away brings its deadline forward to the grace from then.
                var due = Timeout;
                if (random.Next(10) == 0)
                {
                    var goneAfter = _clock.GetElapsedTime(startedAt);
                    deadline.ClientGone();
                    due = goneAfter + grace < Timeout ? goneAfter + grace : Timeout;
                }
                Thread.SpinWait(random.Next(2_000));
                // Some requests outlive their deadline, so expiry is exercised however the threads are scheduled.
                if (random.Next(20) == 0)
                {
                    SpinWait.SpinUntil(() => deadline.Expired || stop.IsCancellationRequested);
                }
                // The timer marks a deadline expired before it cancels it: read the token first.
                var cancelled = deadline.Token.IsCancellationRequested;
                if (deadline.Expired)
                {
                    Interlocked.Increment(ref expired);
                    if (_clock.GetElapsedTime(startedAt) < due)
                    {
                        Interlocked.Increment(ref problems);
                    }
                }
                else if (cancelled)
                {
                    Interlocked.Increment(ref problems);
                }
                deadlines.Finish(deadline);
            }
        })).ToList();
        await Task.WhenAll([ticker, .. requests]);

        Assert.Equal(0, problems);
        Assert.True(expired > 0, "no deadline expired: the test did not exercise expiry");
    }

    [Theory]
    [InlineData(100, 10)]
    [InlineData(1_000, 100)]
    [InlineData(30_000, 1_000)]
    [InlineData(600_000, 1_000)]
    public void Timer_TicksTenTimesPerTimeout_BetweenTenMillisecondsAndASecond(int timeoutMs, int tickMs)
    {
        using var deadlines = new RequestDeadlines(TimeSpan.FromMilliseconds(timeoutMs), _clock);

        Assert.Equal(TimeSpan.FromMilliseconds(tickMs), _clock.TimerPeriod);
    }

    /// <summary>A monotonic clock that moves only when told to; its timer never fires on its own.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public TimeSpan TimerPeriod { get; private set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            TimerPeriod = period;
            return new InertTimer();
        }

        private sealed class InertTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
