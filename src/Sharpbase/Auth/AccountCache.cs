using System.Collections.Concurrent;

namespace Sharpbase.Auth;

/// <summary>
/// What every authenticated request checks, without a database read per request: each account's
/// token version, disabled flag and roles, and the sessions revoked while their access tokens may
/// still be unexpired. Entries are dropped whenever the account changes — on this node directly,
/// on other nodes through <see cref="AccountChanged"/> and <see cref="SessionsRevoked"/>. While
/// those messages may be missed (<see cref="Distrust"/>), every check reads the database.
/// </summary>
internal sealed class AccountCache(AccountStore store)
{
    private readonly ConcurrentDictionary<(string Kind, string Id), AccountState?> _states = new();
    private readonly ConcurrentDictionary<string, byte> _revokedSessions = new(StringComparer.Ordinal);

    // A read that overlapped an invalidation is not cached (it may hold the old state).
    private long _generation;

    // Trusted while _trustedAt == _distrusts: a distrust during TrustAgainAsync wins.
    private long _distrusts;
    private long _trustedAt;

    /// <summary>Raised when this node changed an account (kind, id), for the other nodes.</summary>
    public event Action<string, string>? AccountChanged;

    /// <summary>Raised when this node ended sessions, for the other nodes.</summary>
    public event Action<IReadOnlyList<string>>? SessionsRevoked;

    private bool Trusted => Interlocked.Read(ref _trustedAt) == Interlocked.Read(ref _distrusts);

    public async ValueTask<AccountState?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        var trusted = Trusted;
        if (trusted && _states.TryGetValue((kind, id), out var state))
        {
            return state;
        }
        var generation = Interlocked.Read(ref _generation);
        state = await store.GetStateAsync(kind, id, cancellationToken);
        if (trusted && Interlocked.Read(ref _generation) == generation)
        {
            _states[(kind, id)] = state;
        }
        return state;
    }

    /// <summary>The account changed here: forget it and tell the other nodes.</summary>
    public void Invalidate(string kind, string id)
    {
        Forget(kind, id);
        AccountChanged?.Invoke(kind, id);
    }

    /// <summary>The account changed on another node.</summary>
    public void Forget(string kind, string id)
    {
        Interlocked.Increment(ref _generation);
        _states.TryRemove((kind, id), out _);
    }

    /// <summary>Sessions ended here: refuse them from now on and tell the other nodes.</summary>
    public void Revoke(IReadOnlyList<string> sessionIds)
    {
        Remember(sessionIds);
        if (sessionIds.Count > 0)
        {
            SessionsRevoked?.Invoke(sessionIds);
        }
    }

    /// <summary>Sessions ended here or on another node.</summary>
    public void Remember(IEnumerable<string> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            _revokedSessions[id] = 0;
        }
    }

    public ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken) =>
        _revokedSessions.ContainsKey(sessionId) ? ValueTask.FromResult(true)
        : Trusted ? ValueTask.FromResult(false)
        : new ValueTask<bool>(store.IsSessionRevokedAsync(sessionId, cancellationToken));

    /// <summary>Reloads the sessions revoked within an access token's lifetime, e.g. at start.</summary>
    public async Task LoadRevokedAsync(DateTime since, CancellationToken cancellationToken) =>
        Remember(await store.RecentlyRevokedSessionsAsync(since, cancellationToken));

    /// <summary>Changes on other nodes may be missed from now on: check the database until <see cref="TrustAgainAsync"/>.</summary>
    public void Distrust()
    {
        Interlocked.Increment(ref _distrusts);
        Interlocked.Increment(ref _generation);
        _states.Clear();
    }

    /// <summary>Changes on other nodes arrive again: catch up with what was missed, then use the cache.</summary>
    public async Task TrustAgainAsync(DateTime revokedSince, CancellationToken cancellationToken)
    {
        var distrusts = Interlocked.Read(ref _distrusts);
        Interlocked.Increment(ref _generation);
        _states.Clear();
        await LoadRevokedAsync(revokedSince, cancellationToken);
        Interlocked.Exchange(ref _trustedAt, distrusts);
    }
}
