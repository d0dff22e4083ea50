using System.Collections.Frozen;

namespace Sharpbase.Schema;

/// <summary>
/// Words reserved or special in SQLite or PostgreSQL. Names are quoted in SQL anyway; refusing these keeps
/// filters, rules and hand-written SQL against the database unambiguous.
/// </summary>
internal static class SqlKeywords
{
    public static readonly FrozenSet<string> All = new[]
    {
        "abort", "add", "all", "alter", "analyze", "and", "any", "array", "as", "asc", "attach", "autoincrement",
        "begin", "between", "both", "by", "cascade", "case", "cast", "check", "collate", "column", "commit",
        "constraint", "create", "cross", "current_date", "current_time", "current_timestamp", "current_user",
        "database", "default", "deferrable", "delete", "desc", "detach", "distinct", "do", "drop", "else", "end",
        "escape", "except", "exclusive", "exists", "explain", "false", "fetch", "for", "foreign", "from", "full",
        "glob", "grant", "group", "having", "if", "ilike", "in", "index", "inner", "insert", "intersect", "into",
        "is", "isnull", "join", "key", "lateral", "leading", "left", "like", "limit", "natural", "not", "notnull",
        "null", "of", "offset", "on", "only", "or", "order", "outer", "over", "partition", "pragma", "primary",
        "references", "reindex", "rename", "restrict", "returning", "revoke", "right", "rollback", "savepoint",
        "select", "session_user", "set", "similar", "some", "table", "then", "to", "trailing", "transaction",
        "trigger", "true", "union", "unique", "update", "user", "using", "vacuum", "values", "view", "when",
        "where", "window", "with",
    }.ToFrozenSet(StringComparer.Ordinal);
}
