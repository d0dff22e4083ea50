using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads and checks one collection: its name, fields, indexes, rules and cache.</summary>
internal static class CollectionReader
{
    private static readonly string[] Keys = ["auth", "fields", "indexes", "rules", "cache"];
    private static readonly string[] CacheKeys = ["ttl"];

    public static CollectionDef? Read(YamlEntry entry, SchemaReadContext context)
    {
        var path = $"collections.{entry.Key}";
        if (NameRules.CollectionNameError(entry.Key) is { } nameError)
        {
            context.Error(entry.KeyNode, path, nameError);
        }
        if (entry.Value is not YamlMappingNode mapping)
        {
            context.Error(entry.Value, path, $"a collection must be a mapping with 'fields', not {YamlNodes.Describe(entry.Value)}");
            return null;
        }
        var options = MappingReader.ReadOptions(mapping, path, Keys, context);
        var auth = ReadAuth(options, path, context);
        var (fields, declared) = ReadFields(options, path, auth, context);
        if (auth)
        {
            fields.InsertRange(0, AuthFields.BuiltIns);
            declared.InsertRange(0, AuthFields.BuiltIns.Select(f => f.Name));
        }
        var (rules, ruleLines) = options.TryGetValue("rules", out var rulesOption) ? RulesReader.Read(rulesOption, path, context) : (new RuleSet(), RulesReader.NoLines);
        return new CollectionDef(entry.Key, fields)
        {
            Auth = auth,
            Indexes = options.TryGetValue("indexes", out var indexes) ? IndexReader.Read(indexes, fields, declared, path, context) : [],
            Rules = rules,
            CacheTtl = options.TryGetValue("cache", out var cache) ? ReadCache(cache, path, context) : null,
            Line = YamlNodes.Line(entry.KeyNode),
            RuleLines = ruleLines,
        };
    }

    private static bool ReadAuth(Dictionary<string, YamlEntry> options, string path, SchemaReadContext context)
    {
        if (!options.TryGetValue("auth", out var option))
        {
            return false;
        }
        if (YamlNodes.TryGetBool(option.Value, out var auth))
        {
            return auth;
        }
        context.Error(option.Value, path, $"'auth' must be true or false, not {YamlNodes.Describe(option.Value)}");
        return false;
    }

    /// <summary>Returns the valid fields in file order, and the names of all declared ones (so a broken field is not reported twice).</summary>
    private static (List<FieldDef> Fields, List<string> Declared) ReadFields(
        Dictionary<string, YamlEntry> options, string path, bool auth, SchemaReadContext context)
    {
        var fields = new List<FieldDef>();
        var declared = new List<string>();
        if (!options.TryGetValue("fields", out var option) || YamlNodes.IsNull(option.Value))
        {
            return (fields, declared);
        }
        if (option.Value is not YamlMappingNode mapping)
        {
            context.Error(option.Value, path, $"'fields' must be a mapping of field names to fields, not {YamlNodes.Describe(option.Value)}");
            return (fields, declared);
        }
        foreach (var fieldEntry in MappingReader.ReadNamed(mapping, $"{path}.fields", context))
        {
            declared.Add(fieldEntry.Key);
            if (FieldReader.Read(fieldEntry, path, auth, context) is { } field)
            {
                fields.Add(field);
            }
        }
        return (fields, declared);
    }

    private static TimeSpan? ReadCache(YamlEntry option, string path, SchemaReadContext context)
    {
        var cachePath = $"{path}.cache";
        if (option.Value is not YamlMappingNode mapping)
        {
            context.Error(option.Value, cachePath, $"'cache' must be a mapping such as {{ ttl: 30s }}, not {YamlNodes.Describe(option.Value)}");
            return null;
        }
        var options = MappingReader.ReadOptions(mapping, cachePath, CacheKeys, context);
        if (!options.TryGetValue("ttl", out var ttl))
        {
            context.Error(option.KeyNode, cachePath, "'cache' needs 'ttl', a duration such as 30s");
            return null;
        }
        if (!YamlNodes.TryGetString(ttl.Value, out var text) || !DurationParser.TryParse(text, out var duration))
        {
            context.Error(ttl.Value, cachePath, $"'ttl' must be a duration such as 500ms, 30s, 5m, 1h or 1d, not {YamlNodes.Describe(ttl.Value)}");
            return null;
        }
        if (duration <= TimeSpan.Zero)
        {
            context.Error(ttl.Value, cachePath, "'ttl' must be longer than zero; omit 'cache' to turn caching off");
            return null;
        }
        return duration;
    }
}
