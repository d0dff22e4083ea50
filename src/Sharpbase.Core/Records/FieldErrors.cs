namespace Sharpbase.Records;

/// <summary>Validation messages per field, collected so that a client hears about every field at once.</summary>
public sealed class FieldErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when no error was added.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>The messages, by field name.</summary>
    public IReadOnlyDictionary<string, List<string>> ByField => _errors;

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

    /// <summary>Builds errors holding one message.</summary>
    public static FieldErrors Of(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors;
    }
}
