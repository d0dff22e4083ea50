using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads a collection's composite indexes: a list of lists of field names.</summary>
internal static class IndexReader
{
    public static IReadOnlyList<IReadOnlyList<string>> Read(
        YamlEntry option, IReadOnlyList<FieldDef> fields, IReadOnlyList<string> declared, string path, SchemaReadContext context)
    {
        if (YamlNodes.IsNull(option.Value))
        {
            return [];
        }
        if (option.Value is not YamlSequenceNode sequence)
        {
            context.Error(option.Value, $"{path}.indexes", $"'indexes' must be a list of indexes, each a list of field names such as [status, published_at], not {YamlNodes.Describe(option.Value)}");
            return [];
        }
        var indexes = new List<IReadOnlyList<string>>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadIndex(sequence.Children[i], fields, declared, $"{path}.indexes.{i}", context) is { } index)
            {
                indexes.Add(index);
            }
        }
        return indexes;
    }

    private static List<string>? ReadIndex(
        YamlNode node, IReadOnlyList<FieldDef> fields, IReadOnlyList<string> declared, string path, SchemaReadContext context)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            var what = node is YamlSequenceNode ? "an empty list" : YamlNodes.Describe(node);
            context.Error(node, path, $"an index must be a non-empty list of field names such as [status], not {what}");
            return null;
        }
        var names = new List<string>(sequence.Children.Count);
        var valid = true;
        foreach (var item in sequence.Children)
        {
            valid &= CheckName(item, names, fields, declared, path, context);
        }
        return valid ? names : null;
    }

    private static bool CheckName(
        YamlNode item, List<string> names, IReadOnlyList<FieldDef> fields, IReadOnlyList<string> declared, string path, SchemaReadContext context)
    {
        if (!YamlNodes.TryGetString(item, out var name))
        {
            context.Error(item, path, $"an index field must be a field name, not {YamlNodes.Describe(item)}");
            return false;
        }
        if (names.Contains(name))
        {
            context.Error(item, path, $"index lists field '{name}' twice");
            return false;
        }
        names.Add(name);
        var field = fields.FirstOrDefault(f => f.Name == name);
        if (field is { IsMultipleRelation: true })
        {
            context.Error(item, path, $"index field '{name}' is a multiple relation, which has no column to index");
            return false;
        }
        if (field is null && !SystemFields.Names.Contains(name))
        {
            if (!declared.Contains(name))
            {
                var candidates = declared.Concat(SystemFields.Names);
                context.Error(item, path, $"index field '{name}' does not exist{NameSuggestions.DidYouMean(name, candidates)}");
            }
            return false;
        }
        return true;
    }
}
