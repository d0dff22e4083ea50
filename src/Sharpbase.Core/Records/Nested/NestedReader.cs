using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sharpbase.Json;
using Sharpbase.Query;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records.Nested;

/// <summary>
/// Runs nested reads: one record, or one page with its count and cursor, each as exactly one SQL
/// statement whose JSON the database builds, however deep the selection.
/// </summary>
internal sealed class NestedReader(AppSchema schema, SqlDialect dialect, CursorCodec cursors, AccessRules rules)
{
    private readonly ExpressionCache _filters = new();

    /// <summary>One record as JSON; empty when there is none (or, with <paramref name="viewRule"/>, the caller may not view it).</summary>
    public async Task<NestedResult> OneAsync(DbConnection connection, CollectionDef collection, string id, NestedSelection selection, CallerContext caller, bool viewRule,
        CancellationToken cancellationToken)
    {
        if (viewRule && rules.Decide(collection, RuleAction.View, caller) == RuleDecision.Denied)
        {
            return new NestedResult(default, new ListError("", "forbidden", $"only superusers may view {collection.Name}"));
        }
        var parameters = new List<object?>();
        var compiler = new NestedCompiler(schema, dialect, rules, _filters, caller, parameters);
        var body = compiler.Object(collection, "t", selection);
        if (body is null)
        {
            return new NestedResult(default, compiler.Error);
        }
        var sql = new StringBuilder().Append("SELECT ").Append(body).Append(" FROM ").Append(dialect.Quote(collection.Name))
            .Append(" AS t WHERE t.id = ").Append(compiler.Parameter(id));
        if (viewRule && rules.Predicate(collection, RuleAction.View, caller, "t", parameters) is { } view)
        {
            sql.Append(" AND ").Append(view);
        }
        await using var command = Sql.Command(connection, null, sql.ToString(), parameters);
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        return new NestedResult(json is null ? default : Encoding.UTF8.GetBytes(json), null);
    }

    /// <summary>A page as <c>{"items", "next_cursor", "total"}</c>, validated like a REST list.</summary>
    public async Task<NestedResult> PageAsync(DbConnection connection, CollectionDef collection, NestedPage page, CallerContext caller, CancellationToken cancellationToken)
    {
        if (rules.Decide(collection, RuleAction.List, caller) == RuleDecision.Denied)
        {
            return new NestedResult(default, new ListError("", "forbidden", $"only superusers may list {collection.Name}"));
        }
        BoundExpr? filter = null;
        if (page.Filter is not null && !_filters.TryGet(page.Filter, collection, schema, out filter, out var filterError))
        {
            return new NestedResult(default, new ListError("filter", filterError.Code, "filter: " + filterError));
        }
        if (!SortParser.TryParse(page.Sort, collection, out var keys, out var sortError))
        {
            return new NestedResult(default, sortError);
        }
        var queryHash = RecordLister.QueryHash(collection, page.Filter, keys);
        List<object?>? after = null;
        if (page.After is not null && !cursors.TryDecode(page.After, queryHash, keys, out after))
        {
            return new NestedResult(default, new ListError("after", "bad_request", "after is not a cursor this server issued for this query"));
        }
        var parameters = new List<object?>();
        var compiler = new NestedCompiler(schema, dialect, rules, _filters, caller, parameters);
        var body = compiler.Object(collection, "t", page.Items);
        if (body is null)
        {
            return new NestedResult(default, compiler.Error);
        }
        var table = dialect.Quote(collection.Name);
        var count = page.Count ? $"(SELECT count(*) FROM {table} AS t{Where(Conditions(collection, caller, filter, parameters))})" : "NULL";
        var conditions = Conditions(collection, caller, filter, parameters);
        if (after is not null)
        {
            conditions.Add(KeysetPredicate.Build(keys, after, dialect, parameters));
        }
        var keyColumns = string.Concat(keys.Select((k, i) => $", {KeysetPredicate.Column(k, dialect)} AS k{i}"));
        var outerOrder = string.Join(", ", keys.Select((k, i) => $"p.k{i}" + (k.Descending ? " DESC NULLS LAST" : " ASC NULLS FIRST")));
        // The page joins a one-row table so that the count comes back even when the page is empty.
        var sql = $"SELECT {count}, p.j{string.Concat(keys.Select((_, i) => $", p.k{i}"))} FROM (SELECT 1 AS one) AS o LEFT JOIN " +
            $"(SELECT {body} AS j{keyColumns} FROM {table} AS t{Where(conditions)} ORDER BY {KeysetPredicate.OrderBy(keys, dialect)} LIMIT {compiler.LimitParameter((long)page.Limit + 1)}) AS p " +
            $"ON 1 = 1 ORDER BY {outerOrder}";

        using var buffer = new PooledBufferWriter();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            long? total = null;
            List<object?>? last = null;
            var more = false;
            await using (var command = Sql.Command(connection, null, sql, parameters))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                var rows = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    total ??= reader.IsDBNull(0) ? null : reader.GetInt64(0);
                    if (reader.IsDBNull(1))
                    {
                        continue;
                    }
                    if (rows == page.Limit)
                    {
                        more = true;
                        break;
                    }
                    dialect.WriteJson(writer, reader, 1);
                    last = RecordLister.ReadKeys(reader, keys, 2);
                    rows++;
                }
            }
            writer.WriteEndArray();
            if (more)
            {
                writer.WriteString("next_cursor", cursors.Encode(queryHash, last!));
            }
            else
            {
                writer.WriteNull("next_cursor");
            }
            if (total is { } n)
            {
                writer.WriteNumber("total", n);
            }
            writer.WriteEndObject();
        }
        return new NestedResult(buffer.WrittenMemory.ToArray(), null);
    }

    // The list rule, then the client's filter, in which every row reached through a relation must be listable too.
    private List<string> Conditions(CollectionDef collection, CallerContext caller, BoundExpr? filter, List<object?> parameters)
    {
        var conditions = new List<string>();
        if (rules.Predicate(collection, RuleAction.List, caller, "t", parameters) is { } rule)
        {
            conditions.Add(rule);
        }
        if (filter is not null)
        {
            conditions.Add("(" + SqlCompiler.Compile(filter, dialect, "t", AccessRules.Variables(caller, null), parameters, rules.ListScope(caller, parameters)) + ")");
        }
        return conditions;
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
}
