using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// Loads the records that a page's relations point at: one query per expanded relation per page
/// (ids travel as one JSON array parameter), recursively for nested expansions.
/// </summary>
internal sealed class RecordExpander(SqlDialect dialect, AccessRules rules, Func<CollectionDef, RecordShape> shapes)
{
    /// <summary>The extra select columns carrying the relation values that <paramref name="children"/> expand.</summary>
    public string RelationColumns(CollectionDef owner, IReadOnlyList<ExpandNode> children)
    {
        var sql = new StringBuilder();
        foreach (var child in children)
        {
            sql.Append(", ").Append(RecordShape.ColumnExpression(owner, child.Field, dialect));
        }
        return sql.ToString();
    }

    /// <summary>Expands <paramref name="children"/> into every row and closes each row's object.</summary>
    public async Task CompleteAsync(DbConnection connection, IReadOnlyList<BufferedRow> rows, IReadOnlyList<ExpandNode> children, CallerContext caller, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, ReadOnlyMemory<byte>>[children.Count];
        for (var i = 0; i < children.Count; i++)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                foreach (var id in IdsOf(children[i], row.Relations[i]))
                {
                    ids.Add(id);
                }
            }
            loaded[i] = ids.Count == 0 ? [] : await LoadAsync(connection, children[i], ids, caller, cancellationToken);
        }
        foreach (var row in rows)
        {
            var writer = row.Writer;
            if (children.Count > 0)
            {
                writer.WriteStartObject("expand");
                for (var i = 0; i < children.Count; i++)
                {
                    WriteExpansion(writer, children[i], row.Relations[i], loaded[i]);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
    }

    // Only records the caller may view are expanded; the others are left out (null for a to-one relation).
    private async Task<Dictionary<string, ReadOnlyMemory<byte>>> LoadAsync(DbConnection connection, ExpandNode node, HashSet<string> ids, CallerContext caller, CancellationToken cancellationToken)
    {
        var shape = shapes(node.Target);
        List<object?> parameters = [JsonSerializer.Serialize(ids.ToList(), RecordsJsonContext.Default.ListString)];
        var visible = rules.Predicate(node.Target, RuleAction.View, caller, "t", parameters) is { } view ? " AND " + view : string.Empty;
        var sql = $"SELECT {shape.SelectList}{RelationColumns(node.Target, node.Children)} FROM {shape.Table} AS t WHERE t.id IN ({dialect.JsonArrayElements("@p0")}){visible}";
        var rows = new List<BufferedRow>();
        try
        {
            await using (var command = Sql.Command(connection, null, sql, parameters))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(new BufferedRow(reader, shape, node.Children));
                }
            }
            await CompleteAsync(connection, rows, node.Children, caller, cancellationToken);
            return rows.ToDictionary(r => r.Id, r => (ReadOnlyMemory<byte>)r.Json.ToArray(), StringComparer.Ordinal);
        }
        finally
        {
            foreach (var row in rows)
            {
                row.Dispose();
            }
        }
    }

    private static void WriteExpansion(Utf8JsonWriter writer, ExpandNode node, string? value, Dictionary<string, ReadOnlyMemory<byte>> loaded)
    {
        if (!node.Field.Multiple)
        {
            if (value is not null && loaded.TryGetValue(value, out var record))
            {
                writer.WritePropertyName(node.Field.Name);
                writer.WriteRawValue(record.Span, skipInputValidation: true);
            }
            else
            {
                writer.WriteNull(node.Field.Name);
            }
            return;
        }
        writer.WriteStartArray(node.Field.Name);
        foreach (var id in IdsOf(node, value))
        {
            if (loaded.TryGetValue(id, out var record))
            {
                writer.WriteRawValue(record.Span, skipInputValidation: true);
            }
        }
        writer.WriteEndArray();
    }

    private static List<string> IdsOf(ExpandNode node, string? value)
    {
        if (value is null)
        {
            return [];
        }
        return node.Field.Multiple ? JsonSerializer.Deserialize(value, RecordsJsonContext.Default.ListString) ?? [] : [value];
    }
}
