using System.Text;

namespace Sharpbase.Query;

/// <summary>Builds <c>%…%</c> patterns whose text matches literally: <c>\</c> escapes <c>%</c>, <c>_</c> and itself.</summary>
internal static class LikePattern
{
    public const char Escape = '\\';

    public static string Contains(string text)
    {
        var pattern = new StringBuilder(text.Length + 2).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or Escape)
            {
                pattern.Append(Escape);
            }
            pattern.Append(c);
        }
        return pattern.Append('%').ToString();
    }
}
