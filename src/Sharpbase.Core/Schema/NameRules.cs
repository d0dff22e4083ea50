using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Sharpbase.Schema;

/// <summary>What a collection or field may be called: snake_case, not reserved, not an SQL keyword.</summary>
internal static partial class NameRules
{
    /// <summary>PostgreSQL's identifier limit.</summary>
    public const int MaxLength = 63;

    /// <summary>Collection names that would collide with system routes or are kept for Sharpbase.</summary>
    public static readonly FrozenSet<string> ReservedCollectionNames = new[]
    {
        "auth", "admin", "api", "batch", "graphql", "health", "docs", "openapi", "realtime", "metrics", "files",
        "well_known", "sharpbase",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Returns why a collection name is refused, or null when it is fine.</summary>
    public static string? CollectionNameError(string name)
    {
        if (name.StartsWith('_') || name.StartsWith("sb_", StringComparison.Ordinal))
        {
            return $"collection name '{name}' is reserved: names starting with 'sb_' or '_' belong to Sharpbase";
        }
        if (ReservedCollectionNames.Contains(name))
        {
            return $"collection name '{name}' is reserved for a Sharpbase system route";
        }
        return CommonError("collection", name);
    }

    /// <summary>Returns why a field name is refused, or null when it is fine.</summary>
    public static string? FieldNameError(string name, bool authCollection)
    {
        if (SystemFields.Names.Contains(name))
        {
            return $"field name '{name}' is a system field that every record has; choose another name";
        }
        if (authCollection && SystemFields.AuthNames.Contains(name))
        {
            return $"field name '{name}' is built into auth collections; choose another name";
        }
        return CommonError("field", name);
    }

    private static string? CommonError(string what, string name)
    {
        if (!SnakeCase().IsMatch(name))
        {
            return $"{what} name '{name}' must be snake_case: a lower-case letter, then lower-case letters, digits or '_'";
        }
        if (name.Length > MaxLength)
        {
            return $"{what} name '{name}' is longer than {MaxLength} characters";
        }
        if (SqlKeywords.All.Contains(name))
        {
            return $"{what} name '{name}' is an SQL keyword; choose another name";
        }
        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SnakeCase();
}
