using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sharpbase.Auth;

/// <summary>
/// Counts failed sign-ins per account and per client address (IPv6 per /64) in a sliding window.
/// After a few failures each attempt on the account must wait a growing delay; after many, the
/// account is locked until the window has passed — never longer, so nobody can be locked out for
/// good. A successful sign-in clears the account's count.
/// </summary>
internal sealed class LoginThrottle(AuthOptions options, TimeProvider time)
{
    private const int MaxTracked = 100_000;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before trying this account from this address again; zero when it may try now.</summary>
    public TimeSpan RetryAfter(string account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var byAddress = Get(AddressKey(address), now);
        if (byAddress.Count >= options.FailuresPerAddress)
        {
            return byAddress.Oldest + options.ThrottleWindow - now;
        }
        var byAccount = Get(AccountKey(account), now);
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

    public void Failed(string account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        if (_failures.Count > MaxTracked)
        {
            Prune(now);
        }
        Record(AccountKey(account), now);
        Record(AddressKey(address), now);
    }

    public void Succeeded(string account) => _failures.TryRemove(AccountKey(account), out _);

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

    private Failures Get(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return Failures.None;
        }
        lock (failures)
        {
            failures.Expire(now - options.ThrottleWindow);
            return failures.Snapshot();
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
                if (failures.Snapshot().Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Failures
    {
        public static readonly Failures None = new();

        private readonly Queue<DateTimeOffset> _times = new();

        public int Count => _times.Count;

        public DateTimeOffset Oldest => _times.Count == 0 ? DateTimeOffset.MinValue : _times.Peek();

        public DateTimeOffset Newest { get; private set; }

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

        public Failures Snapshot()
        {
            var copy = new Failures { Newest = Newest };
            foreach (var item in _times)
            {
                copy._times.Enqueue(item);
            }
            return copy;
        }
    }
}
