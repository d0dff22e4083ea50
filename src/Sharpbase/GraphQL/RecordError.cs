using GraphQL;

namespace Sharpbase.GraphQL;

/// <summary>A field error carrying a REST problem code as <c>extensions.code</c>, and messages by field for validation.</summary>
internal sealed class RecordError : ExecutionError
{
    public RecordError(string code, string message, IReadOnlyDictionary<string, List<string>>? errors = null) : base(message)
    {
        Code = code;
        Errors = errors;
    }

    public IReadOnlyDictionary<string, List<string>>? Errors { get; }
}
