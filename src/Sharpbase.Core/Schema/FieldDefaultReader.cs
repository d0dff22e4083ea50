using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Reads a field's <c>default</c>: <c>@now</c>, <c>@auth.id</c>, or a literal valid for the field's type.</summary>
internal static class FieldDefaultReader
{
    private const string Now = "@now";
    private const string AuthId = "@auth.id";

    public static FieldDef Apply(FieldDef field, YamlEntry option, string path, SchemaReadContext context)
    {
        var node = option.Value;
        if (YamlNodes.IsNull(node))
        {
            return field;
        }
        if (YamlNodes.TryGetString(node, out var text) && text.StartsWith('@'))
        {
            return field with { Default = ReadSpecial(field, text, node, path, context) };
        }
        if (field.IsMultipleRelation)
        {
            context.Error(node, path, "a multiple relation cannot have a default");
            return field;
        }
        var error = TryLiteral(field, node, out var json);
        if (error is not null)
        {
            context.Error(node, path, $"default is not valid for type {FieldTypeNames.Name(field.Type)}: {error}");
            return field;
        }
        return field with { Default = new FieldDefault(DefaultKind.Literal, json) };
    }

    private static FieldDefault? ReadSpecial(FieldDef field, string text, YamlNode node, string path, SchemaReadContext context)
    {
        switch (text)
        {
            case Now when field.Type is FieldType.DateTime or FieldType.Date:
                return new FieldDefault(DefaultKind.Now);
            case Now:
                context.Error(node, path, "'@now' is only a default for datetime and date fields");
                return null;
            case AuthId when field.Type == FieldType.Relation && !field.Multiple:
                return new FieldDefault(DefaultKind.AuthId);
            case AuthId:
                context.Error(node, path, "'@auth.id' is only a default for a relation to a single record");
                return null;
            default:
                var hint = NameSuggestions.DidYouMean(text, [Now, AuthId]);
                context.Error(node, path, $"unknown default '{text}'{hint}; a default starting with '@' must be '@now' or '@auth.id'");
                return null;
        }
    }

    /// <summary>Returns why the literal does not fit the field, or null with its compact JSON.</summary>
    private static string? TryLiteral(FieldDef field, YamlNode node, out string json)
    {
        json = "";
        switch (field.Type)
        {
            case FieldType.Json:
                json = YamlJson.Write(node);
                return null;
            case FieldType.Boolean:
                if (!YamlNodes.TryGetBool(node, out var flag))
                {
                    return $"expected true or false, not {YamlNodes.Describe(node)}";
                }
                json = flag ? "true" : "false";
                return null;
            case FieldType.Integer:
                if (!YamlNodes.TryGetInteger(node, out var integer))
                {
                    return $"expected a 64-bit integer, not {YamlNodes.Describe(node)}";
                }
                json = integer.ToString(CultureInfo.InvariantCulture);
                return OutOfRange(integer, field) is { } integerError ? $"{integer} is {integerError}" : null;
            case FieldType.Number:
                if (!YamlNodes.TryGetNumber(node, out var number))
                {
                    return $"expected a finite number, not {YamlNodes.Describe(node)}";
                }
                json = YamlJson.Write(node);
                return OutOfRange(number, field) is { } numberError ? $"{json} is {numberError}" : null;
        }
        if (!YamlNodes.TryGetString(node, out var text))
        {
            return $"expected a string, not {YamlNodes.Describe(node)}";
        }
        var (error, normalized) = CheckText(field, text);
        json = YamlJson.Quote(normalized);
        return error;
    }

    private static (string? Error, string Normalized) CheckText(FieldDef field, string text)
    {
        switch (field.Type)
        {
            case FieldType.Select:
                return (field.Values.Contains(text) ? null : $"'{text}' is not one of the values{NameSuggestions.DidYouMean(text, field.Values)}", text);
            case FieldType.Uuid or FieldType.Relation:
                return Guid.TryParseExact(text, "D", out var id) ? (null, id.ToString("D")) : ($"'{text}' is not a UUID", text);
            case FieldType.DateTime:
                if (!IsoDates.TryParseInstant(text, out var instant))
                {
                    return ($"'{text}' is not an ISO 8601 instant such as 2024-01-31T12:00:00Z", text);
                }
                return (OutOfRange(instant, field) is { } instantError ? $"'{text}' is {instantError}" : null, IsoDates.FormatInstant(instant));
            case FieldType.Date:
                if (!IsoDates.TryParseDate(text, out var date))
                {
                    return ($"'{text}' is not an ISO 8601 date such as 2024-01-31", text);
                }
                return (OutOfRange(date, field) is { } dateError ? $"'{text}' is {dateError}" : null, IsoDates.FormatDate(date));
            case FieldType.Email when !IsEmail(text):
                return ($"'{text}' is not an e-mail address", text);
            case FieldType.Url when !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"):
                return ($"'{text}' is not an absolute http or https URL", text);
            default:
                return (OutOfRange(text.Length, field) is { } lengthError ? $"its length {text.Length} is {lengthError}" : null, text);
        }
    }

    private static bool IsEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }

    private static string? OutOfRange(double value, FieldDef field) =>
        value < field.Min ? "below min" : value > field.Max ? "above max" : null;

    private static string? OutOfRange(DateTime value, FieldDef field) =>
        value < field.MinDate ? "before min" : value > field.MaxDate ? "after max" : null;
}
