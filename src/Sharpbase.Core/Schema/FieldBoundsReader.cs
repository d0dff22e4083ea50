using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads <c>min</c>/<c>max</c>: lengths for text-like fields, values for numbers, UTC instants for dates.</summary>
internal static class FieldBoundsReader
{
    public static FieldDef Apply(FieldDef field, Dictionary<string, YamlEntry> options, string path, SchemaReadContext context)
    {
        YamlEntry? min = options.TryGetValue("min", out var minEntry) ? minEntry : null;
        YamlEntry? max = options.TryGetValue("max", out var maxEntry) ? maxEntry : null;
        switch (field.Type)
        {
            case FieldType.Text or FieldType.Email or FieldType.Url or FieldType.Integer or FieldType.Number:
                field = field with
                {
                    Min = ReadNumber(field.Type, min, path, context),
                    Max = ReadNumber(field.Type, max, path, context),
                };
                if (field.Min > field.Max)
                {
                    ReportOrder(min, max, path, context);
                }
                break;
            case FieldType.DateTime or FieldType.Date:
                field = field with
                {
                    MinDate = ReadDate(field.Type, min, path, context),
                    MaxDate = ReadDate(field.Type, max, path, context),
                };
                if (field.MinDate > field.MaxDate)
                {
                    ReportOrder(min, max, path, context);
                }
                break;
        }
        return field;
    }

    private static double? ReadNumber(FieldType type, YamlEntry? entry, string path, SchemaReadContext context)
    {
        if (entry is not { } option)
        {
            return null;
        }
        switch (type)
        {
            case FieldType.Integer when YamlNodes.TryGetInteger(option.Value, out var integer):
                return integer;
            case FieldType.Number when YamlNodes.TryGetNumber(option.Value, out var number):
                return number;
            case FieldType.Text or FieldType.Email or FieldType.Url when YamlNodes.TryGetInteger(option.Value, out var length) && length >= 0:
                return length;
        }
        var expected = type switch
        {
            FieldType.Integer => "an integer",
            FieldType.Number => "a number",
            _ => "a non-negative integer (a length in characters)",
        };
        context.Error(option.Value, path, $"'{option.Key}' must be {expected}, not {YamlNodes.Describe(option.Value)}");
        return null;
    }

    private static DateTime? ReadDate(FieldType type, YamlEntry? entry, string path, SchemaReadContext context)
    {
        if (entry is not { } option)
        {
            return null;
        }
        if (YamlNodes.TryGetString(option.Value, out var text))
        {
            if (type == FieldType.Date && IsoDates.TryParseDate(text, out var date))
            {
                return date;
            }
            if (type == FieldType.DateTime && IsoDates.TryParseInstant(text, out var instant))
            {
                return instant;
            }
        }
        var expected = type == FieldType.Date
            ? "an ISO 8601 date such as 2024-01-31"
            : "an ISO 8601 instant such as 2024-01-31T12:00:00Z";
        context.Error(option.Value, path, $"'{option.Key}' must be {expected}, not {YamlNodes.Describe(option.Value)}");
        return null;
    }

    private static void ReportOrder(YamlEntry? min, YamlEntry? max, string path, SchemaReadContext context)
    {
        var minText = ((YamlScalarNode)min!.Value.Value).Value;
        var maxNode = (YamlScalarNode)max!.Value.Value;
        context.Error(maxNode, path, $"'min' ({minText}) is greater than 'max' ({maxNode.Value})");
    }
}
