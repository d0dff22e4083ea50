using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// The SQL and JSON layout of one collection's records (optionally only some fields), computed
/// once: the select list, and for each column its JSON name and how to write it. The system
/// columns are always selected first (ordinals 0-3) so that ids and versions are known even when
/// a client asked for fewer fields.
/// </summary>
internal sealed class RecordShape
{
    private const int MaxByIdStatements = 64;

    private static readonly string[] SystemNames = [SystemFields.Id, SystemFields.CreatedAt, SystemFields.UpdatedAt, SystemFields.Version];
    private static readonly JsonEncodedText[] SystemJsonNames = [.. SystemNames.Select(n => JsonEncodedText.Encode(n))];

    private readonly SqlDialect _dialect;
    private readonly bool[] _writeSystem;
    private readonly (JsonEncodedText Name, FieldType Type, bool IdList)[] _columns;
    private ConcurrentDictionary<string, string>? _byId;

    public RecordShape(CollectionDef collection, SqlDialect dialect, IReadOnlySet<string>? only = null)
    {
        Collection = collection;
        _dialect = dialect;
        Table = dialect.Quote(collection.Name);
        _writeSystem = [.. SystemNames.Select(n => only is null || only.Contains(n))];
        var select = new StringBuilder("t.id, t.created_at, t.updated_at, t.version");
        var columns = new List<(JsonEncodedText, FieldType, bool)>();
        foreach (var field in collection.Fields.Where(f => !f.Hidden && (only is null || only.Contains(f.Name))))
        {
            select.Append(", ").Append(ColumnExpression(collection, field, dialect));
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

    /// <summary>How many columns <see cref="SelectList"/> has; extra columns may follow.</summary>
    public int ColumnCount => 4 + _columns.Length;

    /// <summary>
    /// <c>SELECT</c> of one record by id (<c>@p0</c>) where <paramref name="predicate"/> (a rule's SQL, or
    /// none) holds. A rule compiles to the same text for every caller (their values are parameters), so
    /// the statement is made once per predicate, for a bounded number of them.
    /// </summary>
    public string ById(string? predicate)
    {
        var key = predicate ?? string.Empty;
        var byId = LazyInitializer.EnsureInitialized(ref _byId, static () => new ConcurrentDictionary<string, string>(StringComparer.Ordinal));
        if (byId.TryGetValue(key, out var statement))
        {
            return statement;
        }
        statement = $"SELECT {SelectList} FROM {Table} AS t WHERE t.id = @p0{(predicate is null ? string.Empty : " AND " + predicate)}";
        if (byId.Count < MaxByIdStatements)
        {
            byId.TryAdd(key, statement);
        }
        return statement;
    }

    /// <summary>The SQL giving a field's stored value: its column, or a JSON array of ids for a to-many relation.</summary>
    public static string ColumnExpression(CollectionDef owner, FieldDef field, SqlDialect dialect) => field.IsMultipleRelation
        ? dialect.RelationIdsJson(SqlDialect.JunctionTable(owner.Name, field.Name), "t.id")
        : "t." + dialect.Quote(field.Name);

    /// <summary>Writes the current row as a record object; with <paramref name="close"/> false the object stays open.</summary>
    public void WriteRow(DbDataReader reader, Utf8JsonWriter writer, bool close = true)
    {
        writer.WriteStartObject();
        for (var i = 0; i < 4; i++)
        {
            if (!_writeSystem[i])
            {
                continue;
            }
            if (i == 3)
            {
                writer.WriteNumber(SystemJsonNames[i], reader.GetInt64(i));
            }
            else
            {
                _dialect.WriteText(writer, SystemJsonNames[i], reader, i);
            }
        }
        for (var i = 0; i < _columns.Length; i++)
        {
            WriteColumn(reader, writer, i + 4, _columns[i]);
        }
        if (close)
        {
            writer.WriteEndObject();
        }
    }

    private void WriteColumn(DbDataReader reader, Utf8JsonWriter writer, int ordinal, (JsonEncodedText Name, FieldType Type, bool IdList) column)
    {
        var (name, type, idList) = column;
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
            return;
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
            case FieldType.Relation when idList:
                writer.WritePropertyName(name);
                _dialect.WriteJson(writer, reader, ordinal);
                break;
            default:
                _dialect.WriteText(writer, name, reader, ordinal);
                break;
        }
    }
}
