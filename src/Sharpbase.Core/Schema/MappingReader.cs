using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads the entries of a YAML mapping, reporting keys that are not plain names or not known.</summary>
internal static class MappingReader
{
    /// <summary>Reads a mapping whose keys are options; unknown keys are reported with a suggestion.</summary>
    public static Dictionary<string, YamlEntry> ReadOptions(
        YamlMappingNode mapping, string path, IReadOnlyList<string> knownKeys, SchemaReadContext context)
    {
        var entries = new Dictionary<string, YamlEntry>(StringComparer.Ordinal);
        foreach (var entry in ReadNamed(mapping, path, context))
        {
            if (knownKeys.Contains(entry.Key, StringComparer.Ordinal))
            {
                entries[entry.Key] = entry;
            }
            else
            {
                var known = string.Join(", ", knownKeys);
                context.Error(entry.KeyNode, path, $"unknown key '{entry.Key}'{NameSuggestions.DidYouMean(entry.Key, knownKeys)}; expected one of: {known}");
            }
        }
        return entries;
    }

    /// <summary>Reads a mapping whose keys are names chosen by the user (collections, fields), in file order.</summary>
    public static List<YamlEntry> ReadNamed(YamlMappingNode mapping, string path, SchemaReadContext context)
    {
        var entries = new List<YamlEntry>(mapping.Children.Count);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode scalar)
            {
                entries.Add(new YamlEntry(scalar.Value ?? "", key, value));
            }
            else
            {
                context.Error(key, path, $"a key must be a plain name, not {YamlNodes.Describe(key)}");
            }
        }
        return entries;
    }
}
