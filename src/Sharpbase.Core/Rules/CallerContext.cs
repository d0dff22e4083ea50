namespace Sharpbase.Rules;

/// <summary>Who is asking, and when: everything the engine needs from a request, without HTTP.</summary>
/// <param name="AuthId">The caller's user id; null for anonymous callers.</param>
/// <param name="IsSuperuser">Superusers bypass rules and may set read-only fields.</param>
/// <param name="Now">The time of the request, in UTC.</param>
public sealed record CallerContext(string? AuthId, bool IsSuperuser, DateTime Now)
{
    /// <summary>The caller's roles (<c>@auth.roles</c>); empty for anonymous callers and superusers.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The caller's account fields for <c>@auth.&lt;field&gt;</c>, in stored form; empty for anonymous callers.</summary>
    public IReadOnlyDictionary<string, object?> Fields { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>The API key the caller used, if any (its id, never the key).</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The key that scopes idempotency keys (and later caches) to this caller.</summary>
    public string Scope => IsSuperuser ? "superuser:" + AuthId : AuthId is null ? "anonymous" : "user:" + AuthId;
}
