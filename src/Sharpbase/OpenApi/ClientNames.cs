using System.Globalization;
using System.Text;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>
/// The names a collection gets in the document: a PascalCase singular for its schemas
/// (<c>posts</c> → <c>Post</c>) and camelCase operation ids (<c>listPosts</c>, <c>getPost</c>), so that
/// generated clients read naturally. A singular that would collide falls back to the plural.
/// </summary>
internal sealed class ClientNames
{
    // Schemas of the document itself; a collection never takes one of these names.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "Problem", "ValidationErrors", "BatchRequest", "BatchResponse", "BatchOperation", "BatchResult", "Jwks", "Jwk", "Health",
        "Accepted", "Credentials", "UserSession", "SuperuserSession", "Superuser", "Me", "MfaChallenge", "RefreshRequest", "LogoutRequest",
        "PasswordChange", "EmailRequest", "PasswordReset", "TokenRequest", "TotpSetup", "TotpCode", "TotpDisable", "TotpLogin",
        "RecoveryCodes", "ApiKey", "ApiKeyCreate", "NewApiKey", "ApiKeyList", "Registration",
    };

    private readonly Dictionary<string, (string Singular, string Plural)> _names = new(StringComparer.Ordinal);

    public ClientNames(AppSchema schema)
    {
        var taken = new HashSet<string>(Reserved, StringComparer.Ordinal);
        foreach (var collection in schema.Collections)
        {
            var plural = Pascal(collection.Name);
            var singular = Pascal(Singular(collection.Name));
            // Every collection's schemas are Singular, SingularCreate, SingularUpdate, PluralList: the singular must stay unique.
            if (singular == plural || taken.Contains(singular) || schema.Collections.Any(c => c != collection && Pascal(c.Name) == singular))
            {
                singular = plural + "Record";
            }
            taken.Add(singular);
            _names[collection.Name] = (singular, plural);
        }
    }

    /// <summary>The record schema's name, e.g. <c>Post</c>.</summary>
    public string Record(CollectionDef collection) => _names[collection.Name].Singular;

    /// <summary>The PascalCase plural, e.g. <c>Posts</c>.</summary>
    public string Plural(CollectionDef collection) => _names[collection.Name].Plural;

    private static string Singular(string name) => name switch
    {
        _ when name.EndsWith("ies", StringComparison.Ordinal) && name.Length > 3 => name[..^3] + "y",
        _ when name.EndsWith("sses", StringComparison.Ordinal) || name.EndsWith("xes", StringComparison.Ordinal)
            || name.EndsWith("ches", StringComparison.Ordinal) || name.EndsWith("shes", StringComparison.Ordinal) => name[..^2],
        _ when name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) && !name.EndsWith("us", StringComparison.Ordinal) && name.Length > 1 => name[..^1],
        _ => name,
    };

    /// <summary><c>blog_posts</c> → <c>BlogPosts</c>.</summary>
    public static string Pascal(string snake)
    {
        var result = new StringBuilder(snake.Length);
        foreach (var part in snake.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            result.Append(char.ToUpper(part[0], CultureInfo.InvariantCulture)).Append(part.AsSpan(1));
        }
        return result.ToString();
    }
}
