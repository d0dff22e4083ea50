using System.Globalization;
using System.Text.Json;
using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>Looks variables up and converts values to parameter values in stored form.</summary>
internal static class VariableValues
{
    public static object? Resolve(BoundVariable variable, QueryVariables variables) => variable.Kind switch
    {
        VariableKind.AuthId => variables.AuthId,
        VariableKind.AuthRoles => variables.AuthRoles,
        VariableKind.Now => variables.Now,
        VariableKind.AuthField => variables.AuthFields.GetValueOrDefault(variable.Name!),
        _ => variables.Body.GetValueOrDefault(variable.Name!),
    };

    /// <summary>A scalar as stored: instants as UTC text (dates as <c>yyyy-MM-dd</c> against a date field), integers as long.</summary>
    public static object? ToParameter(object? value, FieldDef? against) => value switch
    {
        null => null,
        string or bool or long or double => value,
        DateTime instant => FormatDateTime(instant, against),
        DateTimeOffset offset => FormatDateTime(offset.UtcDateTime, against),
        int or short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        Guid guid => guid.ToString("D"),
        JsonElement element => FromJson(element),
        _ => throw new ArgumentException($"unsupported variable value of type {value.GetType().Name}", nameof(value)),
    };

    /// <summary>The elements of a list variable, nulls dropped; a scalar is a list of one.</summary>
    public static List<object> ToList(object? value)
    {
        var list = new List<object>();
        switch (value)
        {
            case null:
                break;
            case string text:
                list.Add(text);
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray())
                {
                    AddIfNotNull(list, FromJson(item));
                }
                break;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    AddIfNotNull(list, ToParameter(item, null));
                }
                break;
            default:
                AddIfNotNull(list, ToParameter(value, null));
                break;
        }
        return list;
    }

    public static string? ToText(object? value) => ToParameter(value, null) switch
    {
        null => null,
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    private static void AddIfNotNull(List<object> list, object? value)
    {
        if (value is not null)
        {
            list.Add(value);
        }
    }

    private static string FormatDateTime(DateTime value, FieldDef? against)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return against?.Type == FieldType.Date ? IsoDates.FormatDate(utc) : FieldValidator.FormatInstant(utc);
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.GetRawText(),
    };
}
