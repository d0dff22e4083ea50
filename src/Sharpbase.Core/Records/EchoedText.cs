namespace Sharpbase.Records;

/// <summary>Client text echoed in an error (a field or parameter name) is cut short, never inside a surrogate pair.</summary>
public static class EchoedText
{
    /// <summary>How many UTF-16 units of client text an error repeats.</summary>
    public const int MaxLength = 64;

    /// <summary>The text, or its first <see cref="MaxLength"/> units and an ellipsis.</summary>
    public static string Bound(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxLength)
        {
            return text;
        }
        var cut = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return text[..cut] + "…";
    }
}
