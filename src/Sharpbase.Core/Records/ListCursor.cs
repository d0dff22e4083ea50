using System.Buffers.Text;
using System.Text;

namespace Sharpbase.Records;

/// <summary>The opaque continuation token of a list: the last id of the page, base64url-encoded.</summary>
public static class ListCursor
{
    /// <summary>Encodes the last id of a page.</summary>
    public static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    /// <summary>Decodes a cursor; false when it is not one this server made.</summary>
    public static bool TryDecode(string cursor, out string lastId)
    {
        lastId = string.Empty;
        if (cursor.Length > 64 || !Base64Url.IsValid(cursor))
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        if (!Guid.TryParseExact(text, "D", out var guid) || guid.ToString("D") != text)
        {
            return false;
        }
        lastId = text;
        return true;
    }
}
