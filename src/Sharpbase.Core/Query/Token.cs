namespace Sharpbase.Query;

/// <summary>A lexed token; <paramref name="Value"/> holds a literal's value, <paramref name="Text"/> the source text.</summary>
internal readonly record struct Token(TokenKind Kind, TextPosition Position, string Text, object? Value = null);
