using System.Diagnostics.CodeAnalysis;
using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>Checks a parsed expression against a collection of a schema: paths, visibility and types.</summary>
public static class ExpressionBinder
{
    /// <summary>
    /// Binds <paramref name="expr"/> for records of <paramref name="collection"/>. Unknown fields (with a
    /// suggestion among visible fields), hidden fields, paths of more than <see cref="QueryLimits.MaxHops"/>
    /// relations and type mismatches are refused with an error; nothing is thrown for any parsed input.
    /// <c>@body</c> is refused unless <paramref name="bodyAllowed"/> (create and update rules).
    /// </summary>
    public static bool TryBind(Expr expr, CollectionDef collection, AppSchema schema, [NotNullWhen(true)] out BoundExpr? bound, [NotNullWhen(false)] out QueryError? error,
        bool bodyAllowed = false)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(schema);
        var binder = new Binder(collection, schema, bodyAllowed);
        bound = binder.Bind(expr);
        error = bound is null ? binder.Error ?? new QueryError(QueryErrorCodes.Syntax, "expression cannot be bound", expr.Position) : null;
        return bound is not null;
    }

    /// <summary>Parses then binds <paramref name="text"/>; see <see cref="ExpressionParser.TryParse"/> and <see cref="TryBind"/>.</summary>
    public static bool TryParseAndBind(string text, CollectionDef collection, AppSchema schema, [NotNullWhen(true)] out BoundExpr? bound, [NotNullWhen(false)] out QueryError? error,
        bool bodyAllowed = false)
    {
        bound = null;
        return ExpressionParser.TryParse(text, out var expr, out error) && TryBind(expr, collection, schema, out bound, out error, bodyAllowed);
    }
}
