namespace Sharpbase.Query;

/// <summary>A place in an expression's text.</summary>
/// <param name="Offset">The 0-based character offset.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column, in UTF-16 characters.</param>
public readonly record struct TextPosition(int Offset, int Line, int Column)
{
    /// <summary>The start of the text.</summary>
    public static TextPosition Start { get; } = new(0, 1, 1);

    /// <summary>The position <paramref name="characters"/> further on the same line.</summary>
    public TextPosition Advance(int characters) => new(Offset + characters, Line, Column + characters);
}
