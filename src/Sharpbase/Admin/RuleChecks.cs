using System.Globalization;
using Sharpbase.Query;
using Sharpbase.Schema;

namespace Sharpbase.Admin;

/// <summary>Rules that let anonymous callers write, and public lists counted often by anonymous callers.</summary>
internal static class RuleChecks
{
    public static void Add(AdvisorInput input, List<Finding> findings)
    {
        foreach (var collection in input.Schema.Collections)
        {
            foreach (var (action, text) in new[] { ("create", collection.Rules.Create), ("update", collection.Rules.Update), ("delete", collection.Rules.Delete) })
            {
                if (text is null || LetsAnonymousIn(text, collection, input.Schema) is not true)
                {
                    continue;
                }
                var anyone = text.Trim() == "true";
                findings.Add(new Finding("anonymous-write", anyone ? Finding.Error : Finding.Warning,
                    $"Anonymous callers can {action} records of '{collection.Name}'",
                    $"collections.{collection.Name}.rules.{action} is \"{text}\"{(anyone ? string.Empty : ", which a caller without a session can meet")}",
                    $"Require a signed-in caller, e.g. {action}: '@auth.id != null{(anyone ? string.Empty : " && (" + text + ")")}'; omit the rule to allow superusers only."));
            }
            if (input.AnonymousCountLists.TryGetValue(collection.Name, out var counted) && counted >= Advisor.OftenRuns
                && collection.Rules.List is { } list && LetsAnonymousIn(list, collection, input.Schema) is true)
            {
                findings.Add(new Finding("public-count", Finding.Warning,
                    $"'{collection.Name}' is listed publicly with count=true",
                    string.Create(CultureInfo.InvariantCulture, $"{counted} lists of '{collection.Name}' by anonymous callers asked for count=true; each counts every matching row (list rule \"{list}\")"),
                    $"Restrict collections.{collection.Name}.rules.list to signed-in callers, drop count=true from public pages (use keyset paging with after=), or set cache: {{ ttl: 30s }} on the collection."));
            }
        }
    }

    /// <summary>True when a caller without a session can meet the rule; null when it does not bind (the schema check reports that).</summary>
    private static bool? LetsAnonymousIn(string text, CollectionDef collection, AppSchema schema) =>
        text.Trim() == "true" ? true
        : ExpressionBinder.TryParseAndBind(text, collection, schema, out var bound, out _, bodyAllowed: true) ? !RefusesAnonymous(bound) : null;

    // Conservative: only shapes known to be false without a session count as refusing; anything else may let anonymous callers in.
    private static bool RefusesAnonymous(BoundExpr expression) => expression switch
    {
        BoundLogical { Operator: LogicalOperator.And } and => and.Operands.Any(RefusesAnonymous),
        BoundLogical or => or.Operands.All(RefusesAnonymous),
        BoundComparison comparison => RefusesAnonymous(comparison),
        _ => false,
    };

    private static bool RefusesAnonymous(BoundComparison comparison) => comparison switch
    {
        // @auth.id != null, @auth.email = "x": the caller's value is null without a session.
        { Left: BoundVariable { Kind: VariableKind.AuthId or VariableKind.AuthField }, Operator: ComparisonOperator.NotEqual, Right: BoundLiteral { Value: null } } => true,
        { Left: BoundVariable { Kind: VariableKind.AuthId or VariableKind.AuthField }, Operator: ComparisonOperator.Equal, Right: BoundLiteral { Value: not null } } => true,
        // author = @auth.id: null without a session, which only a field that can be null matches.
        { Left: BoundField field, Operator: ComparisonOperator.Equal, Right: BoundVariable { Kind: VariableKind.AuthId or VariableKind.AuthField } } =>
            field.Field.Required || field.Path == "id" || field.Hops.Count > 0,
        // "admin" in @auth.roles: no roles without a session.
        { Operator: ComparisonOperator.AnyEqual or ComparisonOperator.In, Right: BoundVariable { Kind: VariableKind.AuthRoles } } => true,
        _ => false,
    };
}
