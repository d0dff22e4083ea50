using Sharpbase.Storage;

namespace Sharpbase.Query;

/// <summary>Compiles a bound expression to a parameterized SQL predicate through a dialect.</summary>
public static class SqlCompiler
{
    /// <summary>The predicate of an expression that holds for every row (<c>@auth.id != null</c> for a signed-in caller).</summary>
    internal const string AlwaysTrue = "(1 = 1)";

    /// <summary>
    /// Returns a predicate over the row aliased <paramref name="tableAlias"/>. Values, including the
    /// variables from <paramref name="variables"/>, are appended to <paramref name="parameters"/> and
    /// referenced as <see cref="SqlDialect.Parameter"/> of their index, continuing from its current count;
    /// identifiers come only from the schema. Subqueries use fresh aliases <c>t1</c>, <c>t2</c>, … (never
    /// <paramref name="tableAlias"/> itself). A comparison with a null value (a null column or variable)
    /// is not true, and neither is its negation, except for <c>= null</c> / <c>!= null</c>.
    /// </summary>
    /// <param name="bound">The expression.</param>
    /// <param name="dialect">The database's dialect.</param>
    /// <param name="tableAlias">The alias of the row the expression is about.</param>
    /// <param name="variables">The values of <c>@auth</c>, <c>@body</c> and <c>@now</c>.</param>
    /// <param name="parameters">Where values go.</param>
    /// <param name="scope">An extra condition on every row entered through a relation (e.g. its collection's list rule).</param>
    /// <param name="schemaText">
    /// True for the schema's own text (rules): its plain literals (short text, whole numbers and
    /// booleans compared with a field of that type) are written into the SQL instead of being bound,
    /// so the statement is the same on every run and a kept prepared statement is not planned again
    /// for each new binding (SQLite re-plans when a value bound against an indexed column changes).
    /// Never for a client's filter: its values are always parameters.
    /// </param>
    public static string Compile(BoundExpr bound, SqlDialect dialect, string tableAlias, QueryVariables variables, List<object?> parameters, RelationScope? scope = null, bool schemaText = false)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentException.ThrowIfNullOrEmpty(tableAlias);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(parameters);
        return new SqlBuilder(dialect, tableAlias, variables, parameters, scope, schemaText).Expression(bound);
    }
}
