namespace Sharpbase.Schema;

/// <summary>
/// The fields every auth collection has before its declared ones. Only superusers and the
/// <c>/auth</c> endpoints change them; credentials (password hashes, token versions, MFA secrets)
/// live in system tables, never in the collection, so no filter, sort or expand can reach them.
/// </summary>
public static class AuthFields
{
    /// <summary>The sign-in address, unique per collection.</summary>
    public const string Email = "email";
    /// <summary>True once the address has been verified.</summary>
    public const string Verified = "verified";
    /// <summary>A JSON array of role names, for rules such as <c>@auth.roles ?= "editor"</c>.</summary>
    public const string Roles = "roles";
    /// <summary>At most this many roles per account.</summary>
    public const int MaxRoles = 100;
    /// <summary>At most this many characters per role name.</summary>
    public const int MaxRoleLength = 100;
    /// <summary>A disabled account cannot sign in, and its tokens stop working.</summary>
    public const string Disabled = "disabled";

    /// <summary>True for an auth collection's built-in roles, whose value is a list of distinct role names.</summary>
    public static bool IsRoles(CollectionDef collection, FieldDef field)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(field);
        return collection.Auth && field.Name == Roles;
    }

    /// <summary>The built-in fields, in the order they come first in the collection.</summary>
    public static readonly IReadOnlyList<FieldDef> BuiltIns =
    [
        new(Email, FieldType.Email) { Required = true, Unique = true, Readonly = true, Max = 254 },
        new(Verified, FieldType.Boolean) { Readonly = true, Default = new FieldDefault(DefaultKind.Literal, "false") },
        new(Roles, FieldType.Json) { Readonly = true, Default = new FieldDefault(DefaultKind.Literal, "[]") },
        new(Disabled, FieldType.Boolean) { Readonly = true, Default = new FieldDefault(DefaultKind.Literal, "false") },
    ];
}
