namespace Sharpbase.Records;

/// <summary>
/// Validation messages per field, collected so that a client hears about every field at once, and
/// what is wrong with the body as a whole. The latter is kept apart: keyed by a name of its own it
/// would land among the messages of a field of that name (a collection may have a field <c>body</c>).
/// </summary>
public sealed class FieldErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when no error was added.</summary>
    public bool IsEmpty => _errors.Count == 0 && Body is null;

    /// <summary>The messages, by field name.</summary>
    public IReadOnlyDictionary<string, List<string>> ByField => _errors;

    /// <summary>What is wrong with the body as a whole (not one field), or null.</summary>
    public string? Body { get; private set; }

    /// <summary>Adds a message about the body as a whole.</summary>
    public void AddToBody(string message) => Body = Body is null ? message : Body + "; " + message;

    /// <summary>Adds a message for a field.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
    }

    /// <summary>Builds errors holding one message about the body as a whole.</summary>
    public static FieldErrors OfBody(string message)
    {
        var errors = new FieldErrors();
        errors.AddToBody(message);
        return errors;
    }

    /// <summary>Builds errors holding one message.</summary>
    public static FieldErrors Of(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors;
    }
}
