using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>
/// Flattens the <c>settings</c> section into configuration keys (<c>cors:origins:0</c>), the shape
/// Microsoft.Extensions.Configuration uses, so environment variables can override any of it.
/// </summary>
internal static class SettingsFlattener
{
    public static Dictionary<string, string?> Flatten(YamlMappingNode settings)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Walk(settings, "", result);
        return result;
    }

    private static void Walk(YamlNode node, string prefix, Dictionary<string, string?> result)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    Walk(value, Join(prefix, name), result);
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Walk(sequence.Children[i], Join(prefix, i.ToString(CultureInfo.InvariantCulture)), result);
                }
                break;
            case YamlScalarNode scalar:
                result[prefix] = YamlNodes.Kind(scalar) == ScalarKind.Null ? null : scalar.Value;
                break;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}:{key}";
}
