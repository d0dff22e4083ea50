using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Sharpbase.Records;

/// <summary>
/// Keyset cursors: the sort values and id of a page's last row, bound to the query they came from
/// and signed with the server's secret, so a changed cursor is refused rather than read as
/// another page. Values of hidden fields never enter a cursor (they cannot be sorted on).
/// </summary>
public sealed class CursorCodec(byte[] key)
{
    private const int MacBytes = 16;
    private const int MaxCursorLength = 4096;

    /// <summary>Encodes the position after a row.</summary>
    internal string Encode(string queryHash, IReadOnlyList<object?> values)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(queryHash);
            foreach (var value in values)
            {
                switch (value)
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case long l:
                        writer.WriteNumberValue(l);
                        break;
                    case double d:
                        writer.WriteNumberValue(d);
                        break;
                    case bool b:
                        writer.WriteBooleanValue(b);
                        break;
                    default:
                        writer.WriteStringValue((string)value);
                        break;
                }
            }
            writer.WriteEndArray();
        }
        var payload = buffer.WrittenSpan;
        var mac = HMACSHA256.HashData(key, payload)[..MacBytes];
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>Decodes a cursor made by <see cref="Encode"/> for the same query; false for anything else.</summary>
    internal bool TryDecode(string cursor, string queryHash, IReadOnlyList<SortKey> keys, out List<object?> values)
    {
        values = [];
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (cursor.Length > MaxCursorLength || dot <= 0 || !Base64Url.IsValid(cursor.AsSpan(0, dot)) || !Base64Url.IsValid(cursor.AsSpan(dot + 1)))
        {
            return false;
        }
        var payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
        var mac = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
        if (mac.Length != MacBytes || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload).AsSpan(0, MacBytes)))
        {
            return false;
        }
        using var document = JsonDocument.Parse(payload);
        var array = document.RootElement;
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != keys.Count + 1 || array[0].GetString() != queryHash)
        {
            return false;
        }
        for (var i = 0; i < keys.Count; i++)
        {
            var item = array[i + 1];
            values.Add(item.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when keys[i].Type == Schema.FieldType.Number => item.GetDouble(),
                JsonValueKind.Number => item.GetInt64(),
                _ => item.GetString(),
            });
        }
        return true;
    }
}
