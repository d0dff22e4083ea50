namespace Sharpbase.Query;

/// <summary>Why an expression was refused, and where.</summary>
/// <param name="Code">A stable code from <see cref="QueryErrorCodes"/>.</param>
/// <param name="Message">What is wrong, without the position, e.g. <c>unknown field 'auhtor'</c>.</param>
/// <param name="Position">Where in the text.</param>
public sealed record QueryError(string Code, string Message, TextPosition Position)
{
    /// <summary>A close, visible name the author may have meant; null when there is none.</summary>
    public string? Suggestion { get; init; }

    /// <summary>The 1-based line.</summary>
    public int Line => Position.Line;

    /// <summary>The 1-based column.</summary>
    public int Column => Position.Column;

    /// <summary>The message with its position, e.g. <c>unknown field 'auhtor' at 1:1 (did you mean 'author'?)</c>.</summary>
    public override string ToString() =>
        $"{Message} at {Line}:{Column}" + (Suggestion is null ? "" : $" (did you mean '{Suggestion}'?)");
}
