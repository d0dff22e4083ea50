using System.Text;
using System.Text.Json;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// The SQL and JSON layout of one collection's records, computed once per schema: the select
/// list, and for each column its JSON name and how to write it.
/// </summary>
internal sealed class RecordShape
{
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode(SystemFields.Id);
    private static readonly JsonEncodedText CreatedName = JsonEncodedText.Encode(SystemFields.CreatedAt);
    private static readonly JsonEncodedText UpdatedName = JsonEncodedText.Encode(SystemFields.UpdatedAt);
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode(SystemFields.Version);

    private readonly (JsonEncodedText Name, FieldType Type, bool IdList)[] _columns;

    public RecordShape(CollectionDef collection, SqlDialect dialect)
    {
        Collection = collection;
        Table = dialect.Quote(collection.Name);
        var select = new StringBuilder("t.id, t.created_at, t.updated_at, t.version");
        var columns = new List<(JsonEncodedText, FieldType, bool)>();
        foreach (var field in collection.Fields.Where(f => !f.Hidden))
        {
            select.Append(", ");
            if (field.IsMultipleRelation)
            {
                select.Append(dialect.RelationIdsJson(SqlDialect.JunctionTable(collection.Name, field.Name), "t.id"));
            }
            else
            {
                select.Append("t.").Append(dialect.Quote(field.Name));
            }
            columns.Add((JsonEncodedText.Encode(field.Name), field.Type, field.IsMultipleRelation));
        }
        _columns = [.. columns];
        SelectList = select.ToString();
    }

    public CollectionDef Collection { get; }

    /// <summary>The quoted table name.</summary>
    public string Table { get; }

    /// <summary>The columns of a record, aliased on <c>t</c>.</summary>
    public string SelectList { get; }

    /// <summary>Writes the current row of <paramref name="reader"/> as a record object.</summary>
    public void WriteRow(System.Data.Common.DbDataReader reader, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(IdName, reader.GetString(0));
        writer.WriteString(CreatedName, reader.GetString(1));
        writer.WriteString(UpdatedName, reader.GetString(2));
        writer.WriteNumber(VersionName, reader.GetInt64(3));
        for (var i = 0; i < _columns.Length; i++)
        {
            var (name, type, idList) = _columns[i];
            var ordinal = i + 4;
            if (reader.IsDBNull(ordinal))
            {
                if (idList)
                {
                    writer.WriteStartArray(name);
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteNull(name);
                }
                continue;
            }
            if (idList)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(reader.GetString(ordinal), skipInputValidation: true);
                continue;
            }
            switch (type)
            {
                case FieldType.Integer:
                    writer.WriteNumber(name, reader.GetInt64(ordinal));
                    break;
                case FieldType.Number:
                    writer.WriteNumber(name, reader.GetDouble(ordinal));
                    break;
                case FieldType.Boolean:
                    writer.WriteBoolean(name, reader.GetBoolean(ordinal));
                    break;
                case FieldType.Json:
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(reader.GetString(ordinal), skipInputValidation: true);
                    break;
                default:
                    writer.WriteString(name, reader.GetString(ordinal));
                    break;
            }
        }
        writer.WriteEndObject();
    }
}
