using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>
/// Reads typed values from YAML nodes. A plain scalar is resolved like the YAML 1.2 core schema
/// (<c>true</c>, <c>12</c>, <c>1.5</c>, <c>null</c>); a quoted scalar is always a string, so <c>"true"</c> stays text.
/// </summary>
internal static partial class YamlNodes
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static int Line(YamlNode node) => (int)Math.Min(node.Start.Line, int.MaxValue);

    public static ScalarKind Kind(YamlScalarNode node)
    {
        if (node.Style != ScalarStyle.Plain || (!node.Tag.IsEmpty && node.Tag.Value == StringTag))
        {
            return ScalarKind.String;
        }
        return node.Value switch
        {
            null or "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Boolean,
            var text when IntegerSyntax().IsMatch(text) => ScalarKind.Integer,
            var text when NumberSyntax().IsMatch(text) => ScalarKind.Number,
            _ => ScalarKind.String,
        };
    }

    public static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && Kind(scalar) == ScalarKind.Null;

    public static bool TryGetBool(YamlNode node, out bool value)
    {
        value = false;
        if (node is not YamlScalarNode scalar || Kind(scalar) != ScalarKind.Boolean)
        {
            return false;
        }
        value = scalar.Value![0] is 't' or 'T';
        return true;
    }

    public static bool TryGetString(YamlNode node, out string value)
    {
        value = "";
        if (node is not YamlScalarNode scalar || Kind(scalar) != ScalarKind.String)
        {
            return false;
        }
        value = scalar.Value ?? "";
        return true;
    }

    public static bool TryGetInteger(YamlNode node, out long value)
    {
        value = 0;
        return node is YamlScalarNode scalar
            && Kind(scalar) == ScalarKind.Integer
            && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetNumber(YamlNode node, out double value)
    {
        value = 0;
        return node is YamlScalarNode scalar
            && Kind(scalar) is ScalarKind.Integer or ScalarKind.Number
            && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>Names what a node is, for messages: "a list", "a string", "true".</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => Kind(scalar) switch
        {
            ScalarKind.Null => "null",
            ScalarKind.Boolean => scalar.Value!,
            ScalarKind.Integer or ScalarKind.Number => $"the number {scalar.Value}",
            _ => $"the string '{scalar.Value}'",
        },
        _ => "an alias",
    };

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerSyntax();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberSyntax();
}
