namespace Sharpbase.Query;

/// <summary>Which variable a <see cref="BoundVariable"/> stands for.</summary>
public enum VariableKind
{
    /// <summary><c>@auth.id</c>: the caller's id, null for anonymous callers.</summary>
    AuthId,
    /// <summary><c>@auth.roles</c>: the caller's roles, a list.</summary>
    AuthRoles,
    /// <summary>Any other <c>@auth.&lt;field&gt;</c>, from <see cref="QueryVariables.AuthFields"/>.</summary>
    AuthField,
    /// <summary><c>@body.&lt;field&gt;</c>: the incoming value on create or update.</summary>
    Body,
    /// <summary><c>@now</c>: the time of the request.</summary>
    Now,
}
