using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads the top level of a schema document and runs the checks that span collections.</summary>
internal static class SchemaReader
{
    private static readonly string[] Keys = ["collections", "settings"];

    /// <summary>Returns the schema, or null when any error was reported.</summary>
    public static AppSchema? Read(YamlNode? root, string sourcePath, SchemaReadContext context)
    {
        if (root is null || YamlNodes.IsNull(root))
        {
            context.Error(root is null ? 1 : YamlNodes.Line(root), "", "the file is empty; it needs a 'collections' mapping");
            return null;
        }
        if (root is not YamlMappingNode mapping)
        {
            context.Error(root, "", $"the top level must be a mapping with 'collections', not {YamlNodes.Describe(root)}");
            return null;
        }
        var options = MappingReader.ReadOptions(mapping, "", Keys, context);
        var (collections, declared) = ReadCollections(options, mapping, context);
        var settings = ReadSettings(options, context);
        CheckAuthCollections(collections, context);
        CheckRelations(collections, declared, context);
        return context.HasErrors ? null : new AppSchema(sourcePath, collections) { Settings = settings };
    }

    private static (List<CollectionDef> Collections, List<string> Declared) ReadCollections(
        Dictionary<string, YamlEntry> options, YamlMappingNode root, SchemaReadContext context)
    {
        var collections = new List<CollectionDef>();
        var declared = new List<string>();
        if (!options.TryGetValue("collections", out var option))
        {
            context.Error(root, "", "'collections' is required: a mapping of collection names to collections");
            return (collections, declared);
        }
        if (option.Value is not YamlMappingNode mapping || mapping.Children.Count == 0)
        {
            var what = option.Value is YamlMappingNode ? "an empty mapping" : YamlNodes.Describe(option.Value);
            context.Error(option.Value, "collections", $"'collections' must be a mapping with at least one collection, not {what}");
            return (collections, declared);
        }
        foreach (var entry in MappingReader.ReadNamed(mapping, "collections", context))
        {
            declared.Add(entry.Key);
            if (CollectionReader.Read(entry, context) is { } collection)
            {
                collections.Add(collection);
            }
        }
        return (collections, declared);
    }

    private static Dictionary<string, string?> ReadSettings(Dictionary<string, YamlEntry> options, SchemaReadContext context)
    {
        if (!options.TryGetValue("settings", out var option) || YamlNodes.IsNull(option.Value))
        {
            return [];
        }
        if (option.Value is not YamlMappingNode mapping)
        {
            context.Error(option.Value, "settings", $"'settings' must be a mapping, not {YamlNodes.Describe(option.Value)}");
            return [];
        }
        // A misspelt section would otherwise be read by nothing, and its values silently not apply.
        foreach (var entry in MappingReader.ReadNamed(mapping, "settings", context))
        {
            if (!SettingsSections.Contains(entry.Key))
            {
                context.Error(entry.KeyNode, "settings",
                    $"unknown setting '{entry.Key}'{NameSuggestions.DidYouMean(entry.Key, SettingsSections.Names)}; expected one of: {string.Join(", ", SettingsSections.Names)}");
            }
        }
        return SettingsFlattener.Flatten(mapping);
    }

    private static void CheckAuthCollections(List<CollectionDef> collections, SchemaReadContext context)
    {
        var first = collections.FirstOrDefault(c => c.Auth);
        foreach (var other in collections.Where(c => c.Auth && c != first))
        {
            context.Error(other.Line, $"collections.{other.Name}", $"only one collection may have 'auth: true', and '{first!.Name}' already does");
        }
    }

    private static void CheckRelations(List<CollectionDef> collections, List<string> declared, SchemaReadContext context)
    {
        foreach (var relation in context.Relations)
        {
            if (!declared.Contains(relation.Target))
            {
                var hint = NameSuggestions.DidYouMean(relation.Target, declared);
                context.Error(relation.Line, relation.Path, $"relation target '{relation.Target}' does not exist{hint}");
            }
        }
        foreach (var collection in collections)
        {
            foreach (var field in collection.Fields.Where(f => f.Default?.Kind == DefaultKind.AuthId))
            {
                var target = collections.FirstOrDefault(c => c.Name == field.Target);
                if (target is { Auth: false })
                {
                    context.Error(field.Line, $"collections.{collection.Name}.fields.{field.Name}",
                        $"'@auth.id' is the id of a record of the auth collection, but '{target.Name}' is not the auth collection");
                }
            }
        }
    }
}
