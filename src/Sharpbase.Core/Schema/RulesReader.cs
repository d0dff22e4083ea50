using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads a collection's access rules as raw expression text; the rules engine parses them.</summary>
internal static class RulesReader
{
    private static readonly string[] Keys = ["list", "view", "create", "update", "delete"];

    /// <summary>The lines of no rule (no rules mapping).</summary>
    public static readonly IReadOnlyDictionary<string, int> NoLines = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The rules, and the line of each rule in the file by action (for errors that name it).</summary>
    public static (RuleSet Rules, IReadOnlyDictionary<string, int> Lines) Read(YamlEntry option, string path, SchemaReadContext context)
    {
        var rulesPath = $"{path}.rules";
        if (YamlNodes.IsNull(option.Value))
        {
            return (new RuleSet(), NoLines);
        }
        if (option.Value is not YamlMappingNode mapping)
        {
            context.Error(option.Value, rulesPath, $"'rules' must be a mapping of actions ({string.Join(", ", Keys)}) to rule expressions, not {YamlNodes.Describe(option.Value)}");
            return (new RuleSet(), NoLines);
        }
        var rules = MappingReader.ReadOptions(mapping, rulesPath, Keys, context);
        var ruleSet = new RuleSet(
            List: ReadRule(rules, "list", rulesPath, context),
            View: ReadRule(rules, "view", rulesPath, context),
            Create: ReadRule(rules, "create", rulesPath, context),
            Update: ReadRule(rules, "update", rulesPath, context),
            Delete: ReadRule(rules, "delete", rulesPath, context));
        return (ruleSet, rules.ToDictionary(rule => rule.Key, rule => YamlNodes.Line(rule.Value.Value), StringComparer.Ordinal));
    }

    /// <summary>
    /// A rule is any scalar's text, so a plain <c>true</c> means the rule "true"; null (or absent) means superusers only.
    /// </summary>
    private static string? ReadRule(Dictionary<string, YamlEntry> rules, string action, string path, SchemaReadContext context)
    {
        if (!rules.TryGetValue(action, out var rule) || YamlNodes.IsNull(rule.Value))
        {
            return null;
        }
        if (rule.Value is not YamlScalarNode { Value: var text })
        {
            context.Error(rule.Value, path, $"rule '{action}' must be an expression string, not {YamlNodes.Describe(rule.Value)}");
            return null;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            context.Error(rule.Value, path, $"rule '{action}' is empty; omit it to allow superusers only, or write \"true\" to allow anyone");
            return null;
        }
        return text;
    }
}
