namespace Sharpbase.Schema;

/// <summary>The names of field types in a schema file.</summary>
internal static class FieldTypeNames
{
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<FieldType>().Select(Name)];

    public static bool TryParse(string name, out FieldType type)
    {
        foreach (var candidate in Enum.GetValues<FieldType>())
        {
            if (Name(candidate) == name)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static string Name(FieldType type) => type switch
    {
        FieldType.Text => "text",
        FieldType.Integer => "integer",
        FieldType.Number => "number",
        FieldType.Boolean => "boolean",
        FieldType.DateTime => "datetime",
        FieldType.Date => "date",
        FieldType.Json => "json",
        FieldType.Email => "email",
        FieldType.Url => "url",
        FieldType.Uuid => "uuid",
        FieldType.Select => "select",
        FieldType.Relation => "relation",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
