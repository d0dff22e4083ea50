using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sharpbase.Json;
using Sharpbase.Query;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// Lists: validates sort, fields, expand and cursor, runs one statement for the page (plus one per
/// expanded relation, plus a COUNT only when asked) and writes <c>{"items", "next_cursor", "total"}</c>.
/// </summary>
internal sealed class RecordLister(AppSchema schema, SqlDialect dialect, CursorCodec cursors, AccessRules rules, Func<CollectionDef, IReadOnlySet<string>?, RecordShape> shapes)
{
    private readonly RecordExpander _expander = new(dialect, rules, c => shapes(c, null));
    private readonly ExpressionCache _filters = new();

    public async Task<ListResult> ListAsync(DbConnection connection, CollectionDef collection, ListRequest request, CallerContext caller, CancellationToken cancellationToken)
    {
        if (rules.Decide(collection, RuleAction.List, caller) == RuleDecision.Denied)
        {
            return new ListResult(default, new ListError("", "forbidden", $"only superusers may list {collection.Name}"));
        }
        BoundExpr? filter = null;
        if (request.Filter is not null && !_filters.TryGet(request.Filter, collection, schema, out filter, out var filterError))
        {
            return new ListResult(default, new ListError("filter", filterError!.Code, "filter: " + filterError));
        }
        var variables = AccessRules.Variables(caller, null);
        if (!SortParser.TryParse(request.Sort, collection, out var keys, out var error)
            || !SelectionParser.TryParseFields(request.Fields, collection, out var fields, out error)
            || !SelectionParser.TryParseExpand(request.Expand, collection, schema, out var expand, out error))
        {
            return new ListResult(default, error);
        }
        var queryHash = QueryHash(collection, request.Filter, keys);
        List<object?>? after = null;
        if (request.After is not null)
        {
            if (request.Offset != 0)
            {
                return new ListResult(default, new ListError("after", "bad_request", "after and offset cannot be combined"));
            }
            if (!cursors.TryDecode(request.After, queryHash, keys, out after))
            {
                return new ListResult(default, new ListError("after", "bad_request", "after is not a cursor this server issued for this query"));
            }
        }
        var shape = shapes(collection, fields);
        var parameters = new List<object?>();
        var where = Conditions(collection, caller, filter, variables, parameters);
        if (after is not null)
        {
            where.Add(KeysetPredicate.Build(keys, after, dialect, parameters));
        }
        var sql = new StringBuilder()
            .Append("SELECT ").Append(shape.SelectList).Append(_expander.RelationColumns(collection, expand))
            .Append(string.Concat(keys.Select(k => ", " + KeysetPredicate.Column(k, dialect))))
            .Append(" FROM ").Append(shape.Table).Append(" AS t");
        AppendWhere(sql, where);
        sql.Append(" ORDER BY ").Append(KeysetPredicate.OrderBy(keys, dialect));
        parameters.Add((long)request.Limit + 1);
        sql.Append(" LIMIT ").Append(dialect.LimitParameter(parameters.Count - 1));
        parameters.Add((long)request.Offset);
        sql.Append(" OFFSET ").Append(dialect.Parameter(parameters.Count - 1));

        var buffer = new PooledBufferWriter();
        try
        {
            await using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("items");
                var last = await WriteItemsAsync(connection, sql.ToString(), parameters, shape, expand, keys, request.Limit, caller, writer, cancellationToken);
                writer.WriteEndArray();
                if (last is not null)
                {
                    writer.WriteString("next_cursor", cursors.Encode(queryHash, last));
                }
                else
                {
                    writer.WriteNull("next_cursor");
                }
                if (request.Count)
                {
                    writer.WriteNumber("total", await CountAsync(connection, shape, caller, filter, variables, cancellationToken));
                }
                writer.WriteEndObject();
            }
            return new ListResult(buffer.WrittenMemory, null) { Buffer = buffer };
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>One record with expansions, if the caller may view it.</summary>
    public async Task<RecordResult> GetExpandedAsync(DbConnection connection, RecordShape shape, string id, List<ExpandNode> expand, CallerContext caller, CancellationToken cancellationToken)
    {
        List<object?> parameters = [id];
        var visible = rules.Predicate(shape.Collection, RuleAction.View, caller, "t", parameters) is { } view ? " AND " + view : string.Empty;
        var sql = $"SELECT {shape.SelectList}{_expander.RelationColumns(shape.Collection, expand)} FROM {shape.Table} AS t WHERE t.id = @p0{visible}";
        BufferedRow row;
        long version;
        await using (var command = Sql.Command(connection, null, sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return RecordResult.NotFound;
            }
            version = reader.GetInt64(3);
            row = new BufferedRow(reader, shape, expand);
        }
        using (row)
        {
            await _expander.CompleteAsync(connection, [row], expand, caller, cancellationToken);
            return new RecordResult(RecordStatus.Ok) { Json = row.Json.ToArray(), Id = id, Version = version };
        }
    }

    /// <summary>Writes the page; returns the sort values of its last row when another page follows.</summary>
    private async Task<List<object?>?> WriteItemsAsync(DbConnection connection, string sql, List<object?> parameters, RecordShape shape, List<ExpandNode> expand,
        List<SortKey> keys, int limit, CallerContext caller, Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        var rows = new List<BufferedRow>();
        List<object?>? lastValues = null;
        var more = false;
        try
        {
            await using (var command = Sql.Command(connection, null, sql, parameters))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                var count = 0;
                var keyStart = shape.ColumnCount + expand.Count;
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (count == limit)
                    {
                        more = true;
                        break;
                    }
                    if (expand.Count == 0)
                    {
                        shape.WriteRow(reader, writer);
                    }
                    else
                    {
                        rows.Add(new BufferedRow(reader, shape, expand));
                    }
                    // Only the page's last row gives the cursor.
                    if (++count == limit)
                    {
                        lastValues = ReadKeys(reader, keys, keyStart);
                    }
                }
            }
            if (rows.Count > 0)
            {
                await _expander.CompleteAsync(connection, rows, expand, caller, cancellationToken);
                foreach (var row in rows)
                {
                    writer.WriteRawValue(row.Json.Span, skipInputValidation: true);
                }
            }
        }
        finally
        {
            foreach (var row in rows)
            {
                row.Dispose();
            }
        }
        return more ? lastValues : null;
    }

    private async Task<long> CountAsync(DbConnection connection, RecordShape shape, CallerContext caller, BoundExpr? filter, QueryVariables variables, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var conditions = Conditions(shape.Collection, caller, filter, variables, parameters);
        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        await using var command = Sql.Command(connection, null, $"SELECT count(*) FROM {shape.Table} AS t{where}", parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    // The list rule, then the client's filter, in which every row reached through a relation must
    // also be one the caller could list (no boolean oracle on data the caller can't see).
    private List<string> Conditions(CollectionDef collection, CallerContext caller, BoundExpr? filter, QueryVariables variables, List<object?> parameters)
    {
        var conditions = new List<string>();
        if (rules.Predicate(collection, RuleAction.List, caller, "t", parameters) is { } rule)
        {
            conditions.Add(rule);
        }
        if (filter is not null)
        {
            conditions.Add("(" + SqlCompiler.Compile(filter, dialect, "t", variables, parameters, rules.ListScope(caller, parameters)) + ")");
        }
        return conditions;
    }

    internal static List<object?> ReadKeys(DbDataReader reader, List<SortKey> keys, int start)
    {
        var values = new List<object?>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var ordinal = start + i;
            values.Add(reader.IsDBNull(ordinal) ? null : keys[i].Type switch
            {
                FieldType.Integer => reader.GetInt64(ordinal),
                FieldType.Number => reader.GetDouble(ordinal),
                FieldType.Boolean => reader.GetBoolean(ordinal),
                _ => reader.GetString(ordinal),
            });
        }
        return values;
    }

    private static void AppendWhere(StringBuilder sql, List<string> conditions)
    {
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", conditions));
        }
    }

    // A cursor is only valid for the query that produced it: same collection, filter and order.
    internal static string QueryHash(CollectionDef collection, string? filter, List<SortKey> keys)
    {
        var text = collection.Name + "\n" + filter + "\n" + string.Join(",", keys.Select(k => (k.Descending ? "-" : "+") + k.Column));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }
}
