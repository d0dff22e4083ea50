using System.Collections.Concurrent;

namespace Sharpbase.Protection;

/// <summary>
/// Rate limits counted in this process's memory, one counter per policy and partition. Written
/// here rather than on System.Threading.RateLimiting because those limiters read their own clock
/// and hide when a window resets; these take every instant from <see cref="TimeProvider"/> and
/// report remaining requests and reset times for the <c>RateLimit</c> header.
/// </summary>
internal sealed class LocalRateLimiter(TimeProvider time)
{
    private const int MaxPartitions = 100_000;

    private readonly ConcurrentDictionary<(string Policy, string Partition), ICounter> _counters = new();

    public RateLimitDecision Acquire(RateLimitPolicy policy, string partition)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_counters.Count >= MaxPartitions)
        {
            Prune(now);
        }
        var counter = _counters.GetOrAdd((policy.Name, partition), static (_, p) => p.Algorithm == LimitAlgorithm.TokenBucket
            ? new TokenBucket(p.Limit, p.Window)
            : new SlidingWindow(p.Limit, p.Window), policy);
        lock (counter)
        {
            return counter.Acquire(now);
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                if (counter.IsIdle(now))
                {
                    _counters.TryRemove(key, out _);
                }
            }
        }
    }

    private interface ICounter
    {
        RateLimitDecision Acquire(long now);

        bool IsIdle(long now);
    }

    private sealed class SlidingWindow(int limit, TimeSpan window) : ICounter
    {
        private readonly long _segment = Math.Max(1, window.Ticks / RateLimitPolicy.Segments);
        private readonly long[] _index = new long[RateLimitPolicy.Segments];
        private readonly int[] _count = new int[RateLimitPolicy.Segments];

        public RateLimitDecision Acquire(long now)
        {
            var current = now / _segment;
            var total = 0;
            long oldest = long.MaxValue;
            for (var i = 0; i < _index.Length; i++)
            {
                if (_index[i] <= current - RateLimitPolicy.Segments)
                {
                    _count[i] = 0;
                }
                if (_count[i] > 0)
                {
                    total += _count[i];
                    oldest = Math.Min(oldest, _index[i]);
                }
            }
            var allowed = total < limit;
            if (allowed)
            {
                var slot = (int)(current % RateLimitPolicy.Segments);
                if (_index[slot] != current)
                {
                    _index[slot] = current;
                    _count[slot] = 0;
                }
                _count[slot]++;
                total++;
                oldest = Math.Min(oldest, current);
            }
            var reset = oldest == long.MaxValue ? TimeSpan.Zero : TimeSpan.FromTicks(((oldest + RateLimitPolicy.Segments) * _segment) - now);
            return new RateLimitDecision(allowed, limit - total, reset, allowed ? TimeSpan.Zero : reset);
        }

        public bool IsIdle(long now)
        {
            var current = now / _segment;
            return _index.All(index => index <= current - RateLimitPolicy.Segments);
        }
    }

    private sealed class TokenBucket(int limit, TimeSpan window) : ICounter
    {
        private readonly double _perTick = limit / (double)window.Ticks;
        private double _tokens = limit;
        private long _last = -1;

        public RateLimitDecision Acquire(long now)
        {
            Refill(now);
            var allowed = _tokens >= 1;
            if (allowed)
            {
                _tokens -= 1;
            }
            var reset = TimeSpan.FromTicks((long)Math.Ceiling((limit - _tokens) / _perTick));
            var retry = allowed ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) / _perTick));
            return new RateLimitDecision(allowed, (long)Math.Floor(_tokens), reset, retry);
        }

        public bool IsIdle(long now)
        {
            Refill(now);
            return _tokens >= limit;
        }

        private void Refill(long now)
        {
            if (_last >= 0 && now > _last)
            {
                _tokens = Math.Min(limit, _tokens + ((now - _last) * _perTick));
            }
            _last = Math.Max(_last, now);
        }
    }
}
