using Sharpbase.Schema;

namespace Sharpbase.Records;

/// <summary>Parses <c>fields=id,title</c> and <c>expand=author,tags,author.org</c>.</summary>
internal static class SelectionParser
{
    public const int MaxExpandDepth = 2;
    public const int MaxExpandPaths = 8;

    public static bool TryParseFields(string? text, CollectionDef collection, out IReadOnlySet<string>? fields, out ListError? error)
    {
        fields = null;
        error = null;
        if (text is null)
        {
            return true;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in text.Split(','))
        {
            if (!SystemFields.Names.Contains(name) && collection.FindField(name) is not { Hidden: false })
            {
                error = new ListError("fields", "unknown_field", $"fields: unknown field '{EchoedText.Bound(name)}'");
                return false;
            }
            set.Add(name);
        }
        fields = set;
        return true;
    }

    public static bool TryParseExpand(string? text, CollectionDef collection, AppSchema schema, out List<ExpandNode> roots, out ListError? error)
    {
        roots = [];
        error = null;
        if (text is null)
        {
            return true;
        }
        var paths = text.Split(',');
        if (paths.Length > MaxExpandPaths)
        {
            error = new ListError("expand", "bad_request", $"expand takes at most {MaxExpandPaths} paths");
            return false;
        }
        foreach (var path in paths)
        {
            var segments = path.Split('.');
            if (segments.Length > MaxExpandDepth)
            {
                error = new ListError("expand", "bad_request", $"expand: '{EchoedText.Bound(path)}' is deeper than {MaxExpandDepth} levels");
                return false;
            }
            var level = roots;
            var owner = collection;
            foreach (var segment in segments)
            {
                var field = owner.FindField(segment);
                if (field is not { Hidden: false, Type: FieldType.Relation })
                {
                    error = new ListError("expand", "unknown_field", $"expand: '{EchoedText.Bound(segment)}' is not a relation field of {owner.Name}");
                    return false;
                }
                var node = level.Find(n => n.Field.Name == segment);
                if (node is null)
                {
                    node = new ExpandNode(field, owner, schema.FindCollection(field.Target!)!, []);
                    level.Add(node);
                }
                level = node.Children;
                owner = node.Target;
            }
        }
        return true;
    }
}
