using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sharpbase.Records;

/// <summary>RFC 7396 JSON merge patch, applied to the stored JSON text of a json field.</summary>
internal static class JsonMergePatch
{
    /// <summary>Returns the new JSON text, or null when the result is JSON null.</summary>
    public static string? Apply(string? currentJson, JsonElement patch)
    {
        var target = currentJson is null ? null : JsonNode.Parse(currentJson);
        var result = Merge(target, patch);
        return result?.ToJsonString();
    }

    private static JsonNode? Merge(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonSerializerNode(patch);
        }
        var result = target as JsonObject ?? [];
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                result.Remove(property.Name);
                continue;
            }
            var existing = result[property.Name];
            result.Remove(property.Name);
            result[property.Name] = Merge(existing?.DeepClone(), property.Value);
        }
        return result;
    }

    private static JsonNode? JsonSerializerNode(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText());
}
