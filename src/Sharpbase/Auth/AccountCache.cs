using System.Collections.Concurrent;

namespace Sharpbase.Auth;

/// <summary>
/// What every authenticated request checks, without a database read per request: each account's
/// token version, disabled flag and roles, and the sessions revoked while their access tokens may
/// still be unexpired. Entries are dropped whenever the account changes.
/// </summary>
internal sealed class AccountCache(AccountStore store)
{
    private readonly ConcurrentDictionary<(string Kind, string Id), AccountState?> _states = new();
    private readonly ConcurrentDictionary<string, byte> _revokedSessions = new(StringComparer.Ordinal);

    public async ValueTask<AccountState?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        if (_states.TryGetValue((kind, id), out var state))
        {
            return state;
        }
        state = await store.GetStateAsync(kind, id, cancellationToken);
        _states[(kind, id)] = state;
        return state;
    }

    public void Invalidate(string kind, string id) => _states.TryRemove((kind, id), out _);

    public void Revoke(IEnumerable<string> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            _revokedSessions[id] = 0;
        }
    }

    public bool IsRevoked(string sessionId) => _revokedSessions.ContainsKey(sessionId);

    /// <summary>Reloads the sessions revoked within an access token's lifetime, e.g. at start.</summary>
    public async Task LoadRevokedAsync(DateTime since, CancellationToken cancellationToken) =>
        Revoke(await store.RecentlyRevokedSessionsAsync(since, cancellationToken));
}
