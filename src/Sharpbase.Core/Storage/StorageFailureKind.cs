namespace Sharpbase.Storage;

/// <summary>What a database error means for the caller.</summary>
public enum StorageFailureKind
{
    /// <summary>Not a recognised outcome: a bug or an infrastructure fault.</summary>
    Unknown,
    /// <summary>A unique constraint was violated.</summary>
    UniqueViolation,
    /// <summary>A foreign key was violated (a referenced record is missing, or still referenced).</summary>
    ForeignKeyViolation,
    /// <summary>The database is unreachable, locked or busy beyond the timeout.</summary>
    Unavailable,
}
