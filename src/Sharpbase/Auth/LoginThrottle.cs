using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sharpbase.Auth;

/// <summary>
/// Counts failed sign-ins per account and per client address (IPv6 per /64) in a sliding window.
/// After a few failures each attempt on the account must wait a growing delay; after many, the
/// account is locked until the window has passed — never longer, so nobody can be locked out for
/// good. A successful sign-in clears the account's count. With Redis (<see cref="Share"/>) every
/// node counts together; while Redis is unreachable each node counts on its own.
/// </summary>
internal sealed class LoginThrottle(AuthOptions options, TimeProvider time)
{
    private const int MaxTracked = 100_000;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);
    private RedisLoginFailures? _shared;

    /// <summary>Counts in Redis from now on, and in the process only while Redis cannot be reached.</summary>
    public void Share(RedisLoginFailures shared) => _shared = shared;

    /// <summary>How long the caller must wait before trying this account from this address again; zero when it may try now.</summary>
    public async ValueTask<TimeSpan> RetryAfterAsync(string account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        string[] keys = [AddressKey(address), AccountKey(account)];
        var windows = _shared is { } shared ? await shared.ReadAsync(keys, now - options.ThrottleWindow) : null;
        var byAddress = windows?[0] ?? Get(keys[0], now);
        if (byAddress.Count >= options.FailuresPerAddress)
        {
            return byAddress.Oldest + options.ThrottleWindow - now;
        }
        var byAccount = windows?[1] ?? Get(keys[1], now);
        if (byAccount.Count >= options.FailuresBeforeLock)
        {
            return byAccount.Oldest + options.ThrottleWindow - now;
        }
        if (byAccount.Count >= options.FailuresBeforeDelay)
        {
            var exponent = Math.Min(byAccount.Count - options.FailuresBeforeDelay, 5);
            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, exponent), MaxDelay.TotalSeconds));
            var wait = byAccount.Newest + delay - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return TimeSpan.Zero;
    }

    public async ValueTask FailedAsync(string account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        string[] keys = [AccountKey(account), AddressKey(address)];
        var kept = Math.Max(options.FailuresPerAddress, options.FailuresBeforeLock);
        if (_shared is { } shared && await shared.RecordAsync(keys, now, options.ThrottleWindow, kept))
        {
            return;
        }
        if (_failures.Count > MaxTracked)
        {
            Prune(now);
        }
        Record(keys[0], now);
        Record(keys[1], now);
    }

    public async ValueTask SucceededAsync(string account)
    {
        _failures.TryRemove(AccountKey(account), out _);
        if (_shared is { } shared)
        {
            await shared.ClearAsync(AccountKey(account));
        }
    }

    private static string AccountKey(string account) => "a:" + account;

    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "ip:unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "ip:" + address;
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return "ip:" + new IPAddress(bytes) + "/64";
    }

    private FailureWindow Get(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return FailureWindow.None;
        }
        lock (failures)
        {
            failures.Expire(now - options.ThrottleWindow);
            return failures.Window;
        }
    }

    private void Record(string key, DateTimeOffset now)
    {
        var failures = _failures.GetOrAdd(key, _ => new Failures());
        lock (failures)
        {
            failures.Expire(now - options.ThrottleWindow);
            failures.Add(now);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, failures) in _failures)
        {
            lock (failures)
            {
                failures.Expire(now - options.ThrottleWindow);
                if (failures.Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Failures
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public int Count => _times.Count;

        public DateTimeOffset Newest { get; private set; }

        public FailureWindow Window => _times.Count == 0 ? FailureWindow.None : new FailureWindow(_times.Count, _times.Peek(), Newest);

        public void Add(DateTimeOffset when)
        {
            _times.Enqueue(when);
            Newest = when;
        }

        public void Expire(DateTimeOffset before)
        {
            while (_times.Count > 0 && _times.Peek() < before)
            {
                _times.Dequeue();
            }
        }
    }
}
