namespace Sharpbase.Query;

/// <summary>The values of the variables of an expression, for one request.</summary>
/// <param name="AuthId">The caller's id (<c>@auth.id</c>); null for anonymous callers.</param>
/// <param name="AuthRoles">The caller's roles (<c>@auth.roles</c>); empty for anonymous callers.</param>
/// <param name="AuthFields">Other <c>@auth.&lt;field&gt;</c> values; a missing key means null.</param>
/// <param name="Body">The incoming record on create or update (<c>@body.&lt;field&gt;</c>) in stored form; a missing key means null.</param>
/// <param name="Now">The time of the request (<c>@now</c>), in UTC.</param>
public sealed record QueryVariables(
    string? AuthId,
    IReadOnlyList<string> AuthRoles,
    IReadOnlyDictionary<string, object?> AuthFields,
    IReadOnlyDictionary<string, object?> Body,
    DateTime Now)
{
    private static readonly Dictionary<string, object?> Empty = [];

    /// <summary>An anonymous caller with no body.</summary>
    public static QueryVariables Anonymous(DateTime now) => new(null, [], Empty, Empty, now);

    /// <summary>A signed-in caller with no body and no other auth fields.</summary>
    public static QueryVariables ForUser(string authId, IReadOnlyList<string> roles, DateTime now) => new(authId, roles, Empty, Empty, now);
}
