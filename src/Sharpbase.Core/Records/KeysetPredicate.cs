using System.Text;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// The keyset condition "comes after this row" for an order in which NULL is the smallest value
/// (ASC NULLS FIRST, DESC NULLS LAST), expanded to ORs so that mixed directions work everywhere.
/// </summary>
internal static class KeysetPredicate
{
    public static string Build(IReadOnlyList<SortKey> keys, IReadOnlyList<object?> values, SqlDialect dialect, List<object?> parameters)
    {
        var any = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            var all = new StringBuilder();
            for (var j = 0; j < i; j++)
            {
                all.Append(Equal(keys[j], values[j], dialect, parameters)).Append(" AND ");
            }
            var after = After(keys[i], values[i], dialect, parameters);
            if (after is null)
            {
                continue;
            }
            all.Append(after);
            any.Add("(" + all + ")");
        }
        return any.Count == 0 ? "1 = 0" : "(" + string.Join(" OR ", any) + ")";
    }

    public static string OrderBy(IReadOnlyList<SortKey> keys, SqlDialect dialect, string alias = "t") =>
        string.Join(", ", keys.Select(k => Column(k, dialect, alias) + (k.Descending ? " DESC NULLS LAST" : " ASC NULLS FIRST")));

    public static string Column(SortKey key, SqlDialect dialect, string alias = "t") => alias + "." + dialect.Quote(key.Column);

    private static string Equal(SortKey key, object? value, SqlDialect dialect, List<object?> parameters) =>
        value is null ? Column(key, dialect) + " IS NULL" : Column(key, dialect) + " = " + Add(value, dialect, parameters);

    private static string? After(SortKey key, object? value, SqlDialect dialect, List<object?> parameters)
    {
        var column = Column(key, dialect);
        if (!key.Descending)
        {
            return value is null ? column + " IS NOT NULL" : column + " > " + Add(value, dialect, parameters);
        }
        // Descending, NULLs last: nothing comes after a NULL; NULLs come after any value.
        return value is null ? null : $"({column} < {Add(value, dialect, parameters)} OR {column} IS NULL)";
    }

    private static string Add(object value, SqlDialect dialect, List<object?> parameters)
    {
        parameters.Add(value);
        return dialect.Parameter(parameters.Count - 1);
    }
}
