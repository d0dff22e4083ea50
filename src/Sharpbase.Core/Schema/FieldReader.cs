using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads and checks one field of a collection; relation targets are checked later, against the whole file.</summary>
internal static class FieldReader
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly string[] Keys =
    [
        "type", "required", "unique", "index", "hidden", "readonly", "default", "min", "max", "pattern", "values",
        "collection", "multiple",
    ];

    private static readonly string[] FlagKeys = ["required", "unique", "index", "hidden", "readonly", "multiple"];

    public static FieldDef? Read(YamlEntry entry, string collectionPath, bool authCollection, SchemaReadContext context)
    {
        var path = $"{collectionPath}.fields.{entry.Key}";
        if (NameRules.FieldNameError(entry.Key, authCollection) is { } nameError)
        {
            context.Error(entry.KeyNode, path, nameError);
        }
        if (entry.Value is not YamlMappingNode mapping)
        {
            context.Error(entry.Value, path, $"a field must be a mapping such as {{ type: text }}, not {YamlNodes.Describe(entry.Value)}");
            return null;
        }
        var options = MappingReader.ReadOptions(mapping, path, Keys, context);
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in FlagKeys)
        {
            flags[name] = ReadFlag(options, name, path, context);
        }
        if (ReadType(options, entry, path, context) is not { } type)
        {
            return null;
        }
        var field = new FieldDef(entry.Key, type)
        {
            Required = flags["required"],
            Unique = flags["unique"],
            Index = flags["index"],
            Hidden = flags["hidden"],
            Readonly = flags["readonly"],
            Multiple = type == FieldType.Relation && flags["multiple"],
            Line = YamlNodes.Line(entry.KeyNode),
        };
        CheckApplicable(field, options, path, context);
        field = field with
        {
            Values = type == FieldType.Select ? ReadValues(options, entry, path, context) : [],
            Target = type == FieldType.Relation ? ReadTarget(options, entry, path, context) : null,
            Pattern = ReadPattern(field, options, path, context),
        };
        field = FieldBoundsReader.Apply(field, options, path, context);
        return options.TryGetValue("default", out var @default) ? FieldDefaultReader.Apply(field, @default, path, context) : field;
    }

    private static bool ReadFlag(Dictionary<string, YamlEntry> options, string name, string path, SchemaReadContext context)
    {
        if (!options.TryGetValue(name, out var option))
        {
            return false;
        }
        if (YamlNodes.TryGetBool(option.Value, out var value))
        {
            return value;
        }
        context.Error(option.Value, path, $"'{name}' must be true or false, not {YamlNodes.Describe(option.Value)}");
        return false;
    }

    private static FieldType? ReadType(Dictionary<string, YamlEntry> options, YamlEntry entry, string path, SchemaReadContext context)
    {
        if (!options.TryGetValue("type", out var option))
        {
            context.Error(entry.KeyNode, path, $"'type' is required; one of: {string.Join(", ", FieldTypeNames.All)}");
            return null;
        }
        if (YamlNodes.TryGetString(option.Value, out var name) && FieldTypeNames.TryParse(name, out var type))
        {
            return type;
        }
        var types = string.Join(", ", FieldTypeNames.All);
        var message = option.Value is YamlScalarNode { Value: { Length: > 0 } raw }
            ? $"unknown type '{raw}'{NameSuggestions.DidYouMean(raw, FieldTypeNames.All)}; one of: {types}"
            : $"'type' must be one of: {types}; not {YamlNodes.Describe(option.Value)}";
        context.Error(option.Value, path, message);
        return null;
    }

    private static void CheckApplicable(FieldDef field, Dictionary<string, YamlEntry> options, string path, SchemaReadContext context)
    {
        var type = field.Type;
        var kind = field.IsMultipleRelation ? "a multiple relation" : $"type {FieldTypeNames.Name(type)}";
        foreach (var (key, option) in options)
        {
            var applies = key switch
            {
                "values" => type == FieldType.Select,
                "collection" or "multiple" => type == FieldType.Relation,
                "pattern" => type is FieldType.Text or FieldType.Email or FieldType.Url,
                "min" or "max" => type is FieldType.Text or FieldType.Email or FieldType.Url or FieldType.Integer
                    or FieldType.Number or FieldType.DateTime or FieldType.Date,
                "unique" => type != FieldType.Json && !field.IsMultipleRelation,
                "index" => !field.IsMultipleRelation,
                _ => true,
            };
            if (!applies)
            {
                var why = field.IsMultipleRelation && key is "unique" or "index" ? " (it is stored in a junction table, not a column)" : "";
                context.Error(option.KeyNode, path, $"'{key}' does not apply to {kind}{why}");
            }
        }
    }

    private static List<string> ReadValues(Dictionary<string, YamlEntry> options, YamlEntry entry, string path, SchemaReadContext context)
    {
        if (!options.TryGetValue("values", out var option))
        {
            context.Error(entry.KeyNode, path, "a select field needs 'values', a list of the allowed strings");
            return [];
        }
        if (option.Value is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            context.Error(option.Value, path, $"'values' must be a non-empty list of strings, not {(option.Value is YamlSequenceNode ? "an empty list" : YamlNodes.Describe(option.Value))}");
            return [];
        }
        var values = new List<string>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            if (!YamlNodes.TryGetString(item, out var value))
            {
                var quote = item is YamlScalarNode ? "; quote it to make it a string" : "";
                context.Error(item, path, $"a select value must be a string, not {YamlNodes.Describe(item)}{quote}");
            }
            else if (value.Length == 0)
            {
                context.Error(item, path, "a select value must not be empty");
            }
            else if (values.Contains(value))
            {
                context.Error(item, path, $"select value '{value}' is listed twice");
            }
            else
            {
                values.Add(value);
            }
        }
        return values;
    }

    private static string? ReadTarget(Dictionary<string, YamlEntry> options, YamlEntry entry, string path, SchemaReadContext context)
    {
        if (!options.TryGetValue("collection", out var option))
        {
            context.Error(entry.KeyNode, path, "a relation needs 'collection', the name of the target collection");
            return null;
        }
        if (!YamlNodes.TryGetString(option.Value, out var target) || target.Length == 0)
        {
            context.Error(option.Value, path, $"'collection' must be a collection name, not {YamlNodes.Describe(option.Value)}");
            return null;
        }
        context.AddRelation(new RelationReference(target, YamlNodes.Line(option.Value), path));
        return target;
    }

    private static string? ReadPattern(FieldDef field, Dictionary<string, YamlEntry> options, string path, SchemaReadContext context)
    {
        if (!options.TryGetValue("pattern", out var option) || field.Type is not (FieldType.Text or FieldType.Email or FieldType.Url))
        {
            return null;
        }
        if (!YamlNodes.TryGetString(option.Value, out var pattern))
        {
            context.Error(option.Value, path, $"'pattern' must be a regular expression string, not {YamlNodes.Describe(option.Value)}");
            return null;
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.None, PatternTimeout);
            return pattern;
        }
        catch (ArgumentException ex)
        {
            context.Error(option.Value, path, $"'pattern' is not a valid .NET regular expression: {ex.Message}");
            return null;
        }
    }
}
