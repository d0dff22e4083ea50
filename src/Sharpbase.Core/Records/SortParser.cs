using Sharpbase.Schema;

namespace Sharpbase.Records;

/// <summary>
/// Parses <c>sort=-published_at,title</c>. Every order ends with <c>id</c>, so pages are stable;
/// hidden fields, json and to-many relations cannot be sorted on.
/// </summary>
internal static class SortParser
{
    public const int MaxKeys = 8;

    public static bool TryParse(string? text, CollectionDef collection, out List<SortKey> keys, out ListError? error)
    {
        keys = [];
        error = null;
        if (text is not null)
        {
            var parts = text.Split(',');
            if (parts.Length > MaxKeys)
            {
                error = new ListError("sort", "bad_request", $"sort takes at most {MaxKeys} fields");
                return false;
            }
            foreach (var part in parts)
            {
                var descending = part.StartsWith('-');
                var name = descending || part.StartsWith('+') ? part[1..] : part;
                if (!TryColumn(name, collection, out var type, out error))
                {
                    return false;
                }
                if (keys.Exists(k => k.Column == name))
                {
                    error = new ListError("sort", "bad_request", $"sort names '{name}' twice");
                    return false;
                }
                keys.Add(new SortKey(name, type, descending));
            }
        }
        if (!keys.Exists(k => k.Column == SystemFields.Id))
        {
            keys.Add(new SortKey(SystemFields.Id, FieldType.Text, keys.Count > 0 && keys[^1].Descending));
        }
        return true;
    }

    private static bool TryColumn(string name, CollectionDef collection, out FieldType type, out ListError? error)
    {
        error = null;
        type = FieldType.Text;
        switch (name)
        {
            case SystemFields.Id or SystemFields.CreatedAt or SystemFields.UpdatedAt:
                return true;
            case SystemFields.Version:
                type = FieldType.Integer;
                return true;
        }
        var field = collection.FindField(name);
        if (field is null || field.Hidden)
        {
            var shown = EchoedText.Bound(name);
            error = field is null
                ? new ListError("sort", "unknown_field", $"sort: unknown field '{shown}'")
                : new ListError("sort", "field_not_filterable", $"sort: field not filterable '{shown}'");
            return false;
        }
        if (field.Type == FieldType.Json || field.IsMultipleRelation)
        {
            error = new ListError("sort", "bad_request", $"sort: '{name}' is a {(field.Type == FieldType.Json ? "json" : "to-many relation")} field and cannot be sorted on");
            return false;
        }
        type = field.Type;
        return true;
    }
}
