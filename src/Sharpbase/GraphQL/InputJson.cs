using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using GraphQLParser.AST;

namespace Sharpbase.GraphQL;

/// <summary>
/// Turns GraphQL input (coerced argument values, or literals of the JSON scalar) into JSON, so that
/// mutations hand the records engine the same kind of body as REST.
/// </summary>
internal static class InputJson
{
    public static JsonElement ToElement(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                break;
            case double or float:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }
                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    public static void WriteLiteral(Utf8JsonWriter writer, GraphQLValue value)
    {
        switch (value)
        {
            case GraphQLNullValue:
                writer.WriteNullValue();
                break;
            case GraphQLStringValue text:
                writer.WriteStringValue(text.Value.Span);
                break;
            case GraphQLEnumValue name:
                writer.WriteStringValue(name.Name.Value.Span);
                break;
            case GraphQLBooleanValue flag:
                writer.WriteBooleanValue(flag.BoolValue);
                break;
            case GraphQLIntValue or GraphQLFloatValue:
                writer.WriteRawValue(value is GraphQLIntValue i ? i.Value.Span : ((GraphQLFloatValue)value).Value.Span);
                break;
            case GraphQLListValue list:
                writer.WriteStartArray();
                foreach (var item in list.Values ?? [])
                {
                    WriteLiteral(writer, item);
                }
                writer.WriteEndArray();
                break;
            case GraphQLObjectValue map:
                writer.WriteStartObject();
                foreach (var field in map.Fields ?? [])
                {
                    writer.WritePropertyName(field.Name.Value.Span);
                    WriteLiteral(writer, field.Value);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException("a variable cannot appear inside a JSON literal", nameof(value));
        }
    }
}
