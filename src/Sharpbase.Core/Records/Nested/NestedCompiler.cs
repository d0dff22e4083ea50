using System.Globalization;
using System.Text;
using Sharpbase.Query;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records.Nested;

/// <summary>
/// Turns a nested selection into one SQL expression that builds the record's JSON in the database:
/// every relation becomes a correlated subquery, every level carries its collection's rule for the
/// caller (view for records a relation points at, list for records that point back), and every
/// value and response key travels as a parameter. Levels are aliased <c>n1</c>, <c>n2</c>, … so they
/// never meet the <c>t1</c>, <c>t2</c>, … of compiled rules and filters.
/// </summary>
internal sealed class NestedCompiler(AppSchema schema, SqlDialect dialect, AccessRules rules, ExpressionCache filters, CallerContext caller, List<object?> parameters)
{
    private int _levels;

    /// <summary>The first thing refused (a filter or sort of a nested list, a hidden or unknown field).</summary>
    public ListError? Error { get; private set; }

    /// <summary>The JSON object of the row aliased <paramref name="alias"/>; null when <see cref="Error"/> is set.</summary>
    public string? Object(CollectionDef collection, string alias, NestedSelection selection)
    {
        var members = new List<(string Key, string Value)>(selection.Members.Count);
        foreach (var member in selection.Members)
        {
            var value = member switch
            {
                NestedField field => Field(collection, alias, field.Field),
                NestedRecord record => Record(collection, alias, record),
                NestedList list => List(collection, alias, list),
                _ => Refuse("", "bad_request", "unsupported selection"),
            };
            if (value is null)
            {
                return null;
            }
            members.Add((Parameter(member.Key), value));
        }
        return dialect.JsonObject(members);
    }

    public string Parameter(object? value)
    {
        parameters.Add(value);
        return dialect.Parameter(parameters.Count - 1);
    }

    /// <summary>Binds <paramref name="limit"/> as a statement's <c>LIMIT</c>.</summary>
    public string LimitParameter(long limit)
    {
        parameters.Add(limit);
        return dialect.LimitParameter(parameters.Count - 1);
    }

    private string? Field(CollectionDef collection, string alias, string name)
    {
        switch (name)
        {
            case SystemFields.Id or SystemFields.CreatedAt or SystemFields.UpdatedAt:
                return Column(alias, name);
            case SystemFields.Version:
                return dialect.JsonColumn(Column(alias, name), FieldType.Integer);
        }
        if (Visible(collection, name) is not { } field)
        {
            return null;
        }
        return field.IsMultipleRelation
            ? dialect.JsonValue(dialect.RelationIdsJson(SqlDialect.JunctionTable(collection.Name, field.Name), Column(alias, SystemFields.Id)))
            : dialect.JsonColumn(Column(alias, field.Name), field.Type);
    }

    private string? Record(CollectionDef collection, string alias, NestedRecord record)
    {
        if (Visible(collection, record.Field) is not { Type: FieldType.Relation, Multiple: false } field)
        {
            return Error is null ? Refuse("", "bad_request", $"'{record.Field}' is not a to-one relation of {collection.Name}") : null;
        }
        var target = schema.FindCollection(field.Target!)!;
        var next = NextAlias();
        var body = Object(target, next, record.Selection);
        if (body is null)
        {
            return null;
        }
        var sql = new StringBuilder()
            .Append("(SELECT ").Append(body).Append(" FROM ").Append(dialect.Quote(target.Name)).Append(" AS ").Append(next)
            .Append(" WHERE ").Append(Column(next, SystemFields.Id)).Append(" = ").Append(Column(alias, field.Name));
        if (rules.Predicate(target, RuleAction.View, caller, next, parameters) is { } view)
        {
            sql.Append(" AND ").Append(view);
        }
        return dialect.JsonValue(sql.Append(')').ToString());
    }

    private string? List(CollectionDef collection, string alias, NestedList list)
    {
        var source = schema.FindCollection(list.Source);
        var field = source is null ? null : Visible(source, list.Field);
        if (source is null || field is not { Type: FieldType.Relation }
            || (list.Reverse ? field.Target != collection.Name : source.Name != collection.Name || !field.Multiple))
        {
            return Error is null ? Refuse("", "bad_request", $"'{list.Field}' is not a list relation of {collection.Name}") : null;
        }
        var listed = list.Reverse ? source : schema.FindCollection(field.Target!)!;
        var next = NextAlias();
        var junction = next + "j";
        string from;
        string link;
        if (field.Multiple)
        {
            var (near, far) = list.Reverse ? ("target", "source") : ("source", "target");
            from = $"{dialect.Quote(SqlDialect.JunctionTable(source.Name, field.Name))} AS {junction} JOIN {dialect.Quote(listed.Name)} AS {next} ON {Column(next, SystemFields.Id)} = {junction}.{far}";
            link = $"{junction}.{near} = {Column(alias, SystemFields.Id)}";
        }
        else
        {
            from = $"{dialect.Quote(listed.Name)} AS {next}";
            link = $"{Column(next, field.Name)} = {Column(alias, SystemFields.Id)}";
        }
        var conditions = new List<string> { link };
        // Records a relation points at are seen as in an expand (view rule); records that point back are a listing (list rule).
        if (rules.Predicate(listed, list.Reverse ? RuleAction.List : RuleAction.View, caller, next, parameters) is { } rule)
        {
            conditions.Add(rule);
        }
        if (list.Filter is not null)
        {
            if (!filters.TryGet(list.Filter, listed, schema, out var bound, out var error))
            {
                return Refuse("filter", error.Code, "filter: " + error);
            }
            conditions.Add("(" + SqlCompiler.Compile(bound, dialect, next, AccessRules.Variables(caller, null), parameters, rules.ListScope(caller, parameters)) + ")");
        }
        string order;
        if (list.Sort is null && !list.Reverse)
        {
            order = junction + ".position";
        }
        else if (SortParser.TryParse(list.Sort, listed, out var keys, out var sortError))
        {
            order = KeysetPredicate.OrderBy(keys, dialect, next);
        }
        else
        {
            Error = sortError;
            return null;
        }
        var body = Object(listed, next, list.Selection);
        if (body is null)
        {
            return null;
        }
        var rows = $"SELECT {body} AS j FROM {from} WHERE {string.Join(" AND ", conditions)} ORDER BY {order} LIMIT {LimitParameter((long)list.Limit)}";
        return dialect.JsonArrayOf(rows);
    }

    // Hidden fields are not selectable at any level, whatever the transport asks for.
    private FieldDef? Visible(CollectionDef collection, string name)
    {
        if (collection.FindField(name) is { Hidden: false } field)
        {
            return field;
        }
        Refuse("", "unknown_field", $"unknown field '{EchoedText.Bound(name)}' of {collection.Name}");
        return null;
    }

    private string? Refuse(string parameter, string code, string message)
    {
        Error ??= new ListError(parameter, code, message);
        return null;
    }

    private string Column(string alias, string name) => alias + "." + dialect.Quote(name);

    private string NextAlias() => "n" + (++_levels).ToString(CultureInfo.InvariantCulture);
}
