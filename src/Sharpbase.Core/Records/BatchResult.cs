using System.Buffers;
using System.Text.Json;

namespace Sharpbase.Records;

/// <summary>Either the results of every operation, or the first failure and its index (nothing written).</summary>
public sealed record BatchResult(IReadOnlyList<RecordResult> Results, RecordResult? Failure, int FailedIndex)
{
    /// <summary>The answer to a batch that succeeded: <c>{"results": [{"status": 201, "body": {…}}, …]}</c>, UTF-8.</summary>
    public static byte[] ToJson(IReadOnlyList<RecordResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            foreach (var item in results)
            {
                writer.WriteStartObject();
                writer.WriteNumber("status", item.Status switch
                {
                    RecordStatus.Created => 201,
                    RecordStatus.Deleted => 204,
                    _ => 200,
                });
                if (!item.Json.IsEmpty)
                {
                    writer.WritePropertyName("body");
                    writer.WriteRawValue(item.Json.Span, skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
