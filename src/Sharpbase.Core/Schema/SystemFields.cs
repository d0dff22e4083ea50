namespace Sharpbase.Schema;

/// <summary>Fields every record has, and the built-in fields of an auth collection.</summary>
public static class SystemFields
{
    /// <summary>UUIDv7 text primary key.</summary>
    public const string Id = "id";
    /// <summary>Creation instant (UTC).</summary>
    public const string CreatedAt = "created_at";
    /// <summary>Last write instant (UTC).</summary>
    public const string UpdatedAt = "updated_at";
    /// <summary>Integer bumped on every write; the record's ETag.</summary>
    public const string Version = "version";

    /// <summary>The names a declared field may not take.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { Id, CreatedAt, UpdatedAt, Version };

    /// <summary>Built-in fields of an auth collection, reserved there.</summary>
    public static readonly IReadOnlySet<string> AuthNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "email", "password", "password_hash", "verified", "roles", "disabled", "token_version", "mfa",
    };
}
