using System.Text.Json;

namespace Sharpbase.Admin;

/// <summary>The advisor's answer as JSON: <c>{"findings":[{"id","severity","title","evidence","fix"}]}</c>, and back.</summary>
internal static class FindingsJson
{
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<Finding> findings)
    {
        writer.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("id", finding.Id);
            writer.WriteString("severity", finding.Severity);
            writer.WriteString("title", finding.Title);
            writer.WriteString("evidence", finding.Evidence);
            writer.WriteString("fix", finding.Fix);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>Reads the findings of an answer; null when it is not one.</summary>
    public static IReadOnlyList<Finding>? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("findings", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        return [.. array.EnumerateArray().Select(f => new Finding(Text(f, "id"), Text(f, "severity"), Text(f, "title"), Text(f, "evidence"), Text(f, "fix")))];
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
