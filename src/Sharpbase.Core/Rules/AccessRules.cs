using System.Collections.Concurrent;
using Sharpbase.Query;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Rules;

/// <summary>
/// Every collection's rules, parsed and bound once when the schema loads, and turned into SQL
/// predicates for each request (for anonymous callers, once per place in a statement), so a rule is always part of the statement that reads or writes
/// the row (no read-then-check race). Superusers bypass every rule.
/// </summary>
public sealed class AccessRules
{
    // Places in statements are few (aliases and parameter numbers the engine uses); the bound is a backstop.
    private const int MaxAnonymousPredicates = 4_096;

    private readonly Dictionary<(string Collection, RuleAction Action), CompiledRule> _rules;
    private readonly SqlDialect _dialect;
    private readonly ConcurrentDictionary<(string Collection, RuleAction Action, string Alias, int FirstParameter), (string Sql, object?[] Values)> _anonymous = new();

    private AccessRules(Dictionary<(string, RuleAction), CompiledRule> rules, SqlDialect dialect)
    {
        _rules = rules;
        _dialect = dialect;
    }

    /// <summary>Compiles every rule of the schema; each failure is reported as <c>collections.c.rules.action: message at line:column</c>.</summary>
    public static (AccessRules? Rules, IReadOnlyList<string> Errors) Compile(AppSchema schema, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(dialect);
        var rules = new Dictionary<(string, RuleAction), CompiledRule>();
        var errors = new List<string>();
        foreach (var collection in schema.Collections)
        {
            var texts = collection.Rules;
            foreach (var (action, text) in new[] { (RuleAction.List, texts.List), (RuleAction.View, texts.View), (RuleAction.Create, texts.Create), (RuleAction.Update, texts.Update), (RuleAction.Delete, texts.Delete) })
            {
                if (text is null)
                {
                    rules[(collection.Name, action)] = CompiledRule.SuperusersOnly;
                }
                else if (text.Trim() == "true")
                {
                    rules[(collection.Name, action)] = CompiledRule.Everyone;
                }
                else if (ExpressionBinder.TryParseAndBind(text, collection, schema, out var bound, out var error, bodyAllowed: action is RuleAction.Create or RuleAction.Update))
                {
                    rules[(collection.Name, action)] = new CompiledRule(bound, false);
                }
                else
                {
                    var name = action.ToString().ToLowerInvariant();
                    errors.Add($"{schema.SourcePath}:{collection.RuleLines.GetValueOrDefault(name, collection.Line)}: collections.{collection.Name}.rules.{name}: {error}");
                }
            }
        }
        return errors.Count == 0 ? (new AccessRules(rules, dialect), errors) : (null, errors);
    }

    /// <summary>What the rule says for this caller before any record is looked at.</summary>
    public RuleDecision Decide(CollectionDef collection, RuleAction action, CallerContext caller)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsSuperuser)
        {
            return RuleDecision.Allowed;
        }
        var rule = _rules[(collection.Name, action)];
        return rule.Anyone ? RuleDecision.Allowed : rule.Expression is null ? RuleDecision.Denied : RuleDecision.Conditional;
    }

    /// <summary>
    /// True when the rule mentions a record field or <c>@body</c>; a rule about the caller and the
    /// time only (<c>@auth.id != null</c>) can be decided before the body is even validated.
    /// </summary>
    internal bool NeedsRecord(CollectionDef collection, RuleAction action) =>
        _rules[(collection.Name, action)].Expression is { } rule && NeedsRecord(rule);

    private static bool NeedsRecord(BoundExpr expression) => expression switch
    {
        BoundLogical logical => logical.Operands.Any(NeedsRecord),
        BoundNot not => NeedsRecord(not.Operand),
        BoundComparison comparison => NeedsRecord(comparison.Left) || NeedsRecord(comparison.Right),
        _ => false,
    };

    private static bool NeedsRecord(BoundOperand operand) => operand is BoundField or BoundVariable { Kind: VariableKind.Body };

    /// <summary>
    /// The predicate a row aliased <paramref name="alias"/> must meet for the caller; null when every
    /// row qualifies (also when the rule holds for this caller whatever the row, as <c>@auth.id != null</c>
    /// does for a signed-in caller, so no statement runs just to check it). Relations the rule follows
    /// are not scoped further: rules are the schema's own text.
    /// </summary>
    internal string? Predicate(CollectionDef collection, RuleAction action, CallerContext caller, string alias, List<object?> parameters, IReadOnlyDictionary<string, object?>? body = null)
    {
        var predicate = Decide(collection, action, caller) switch
        {
            RuleDecision.Allowed => null,
            RuleDecision.Denied => "(1 = 0)",
            _ when body is null && IsAnonymous(caller) => AnonymousPredicate(collection, action, caller, alias, parameters),
            _ => SqlCompiler.Compile(_rules[(collection.Name, action)].Expression!, _dialect, alias, Variables(caller, body), parameters, schemaText: true),
        };
        // An expression folded to true holds no parameter (SqlBuilder drops constant operands whole).
        return predicate == SqlCompiler.AlwaysTrue ? null : predicate;
    }

    /// <summary>
    /// An anonymous caller's @auth is empty, so a rule without @now or @body compiles to the same SQL
    /// and the same values for every anonymous caller: it is compiled once per place in a statement
    /// (alias and first parameter number) and reused. Any other caller's rule is compiled for them.
    /// </summary>
    private string AnonymousPredicate(CollectionDef collection, RuleAction action, CallerContext caller, string alias, List<object?> parameters)
    {
        var key = (collection.Name, action, alias, parameters.Count);
        if (!_anonymous.TryGetValue(key, out var compiled))
        {
            var rule = _rules[(collection.Name, action)].Expression!;
            if (!SameForEveryAnonymousCaller(rule) || _anonymous.Count >= MaxAnonymousPredicates)
            {
                return SqlCompiler.Compile(rule, _dialect, alias, Variables(caller, null), parameters, schemaText: true);
            }
            var values = new List<object?>(parameters);
            var sql = SqlCompiler.Compile(rule, _dialect, alias, Variables(caller, null), values, schemaText: true);
            compiled = _anonymous.GetOrAdd(key, (sql, values[parameters.Count..].ToArray()));
        }
        parameters.AddRange(compiled.Values);
        return compiled.Sql;
    }

    private static bool IsAnonymous(CallerContext caller) => caller.AuthId is null && !caller.IsSuperuser && caller.Roles.Count == 0 && caller.Fields.Count == 0;

    private static bool SameForEveryAnonymousCaller(BoundExpr expression) => expression switch
    {
        BoundLogical logical => logical.Operands.All(SameForEveryAnonymousCaller),
        BoundNot not => SameForEveryAnonymousCaller(not.Operand),
        BoundComparison comparison => comparison.Left is not BoundVariable { Kind: VariableKind.Now or VariableKind.Body }
            && comparison.Right is not BoundVariable { Kind: VariableKind.Now or VariableKind.Body },
        _ => true,
    };

    /// <summary>
    /// For filters written by clients: every row a path enters through a relation must be one the
    /// caller could list, so a filter can't probe data the caller can't see.
    /// </summary>
    internal RelationScope ListScope(CallerContext caller, List<object?> parameters) =>
        (target, alias) => Predicate(target, RuleAction.List, caller, alias, parameters);

    internal static QueryVariables Variables(CallerContext caller, IReadOnlyDictionary<string, object?>? body) =>
        new(caller.AuthId, caller.Roles, caller.Fields, body ?? new Dictionary<string, object?>(), caller.Now);
}
