using System.Text.Json;

namespace Sharpbase.Bench.Baseline;

/// <summary>The body of a create: the same checks as the bench schema's posts fields (strict members, types, bounds, select values).</summary>
internal readonly record struct NewPost(string Title, string? Body, string Status, long Views, string? PublishedAt)
{
    public static bool TryRead(JsonElement root, out NewPost post)
    {
        post = default;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        string? title = null, body = null, published = null;
        var status = "draft";
        long views = 0;
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "title" when member.Value.ValueKind == JsonValueKind.String:
                    title = member.Value.GetString();
                    break;
                case "body" when member.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    body = member.Value.GetString();
                    break;
                case "status" when member.Value.GetString() is "draft" or "published":
                    status = member.Value.GetString()!;
                    break;
                case "views" when member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt64(out views) && views >= 0:
                    break;
                case "published_at" when member.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "published_at" when member.Value.TryGetDateTime(out var at):
                    published = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    return false;
            }
        }
        if (string.IsNullOrEmpty(title) || title.Length > 200 || body?.Length > 100_000)
        {
            return false;
        }
        post = new NewPost(title, body, status, views, published);
        return true;
    }
}
