namespace Sharpbase.Schema;

/// <summary>Where a field's default value comes from.</summary>
public enum DefaultKind
{
    /// <summary>A JSON literal given in the schema.</summary>
    Literal,
    /// <summary><c>@now</c>: the time of the write.</summary>
    Now,
    /// <summary><c>@auth.id</c>: the id of the caller.</summary>
    AuthId,
}
