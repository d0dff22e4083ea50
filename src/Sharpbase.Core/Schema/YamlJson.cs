using System.Buffers;
using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Writes YAML nodes as compact JSON text, resolving scalars the way <see cref="YamlNodes"/> does.</summary>
internal static class YamlJson
{
    public static string Write(YamlNode node) => Build(writer => WriteNode(writer, node));

    public static string Quote(string text) => Build(writer => writer.WriteStringValue(text));

    private static string Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNode(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName(key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : key.ToString());
                    WriteNode(writer, value);
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    WriteNode(writer, item);
                }
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        switch (YamlNodes.Kind(scalar))
        {
            case ScalarKind.Null:
                writer.WriteNullValue();
                break;
            case ScalarKind.Boolean when YamlNodes.TryGetBool(scalar, out var flag):
                writer.WriteBooleanValue(flag);
                break;
            case ScalarKind.Integer when YamlNodes.TryGetInteger(scalar, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case ScalarKind.Integer or ScalarKind.Number when YamlNodes.TryGetNumber(scalar, out var number):
                writer.WriteNumberValue(number);
                break;
            default:
                writer.WriteStringValue(scalar.Value ?? "");
                break;
        }
    }
}
